"""The product's foundation: PostgreSQL and Redis are real, every model has history, migrations are
complete, settings are safe for production."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
OUR_APPS = ["privacy", "consents", "requests_app", "retention"]

pytestmark = pytest.mark.django_db


def test_suite_runs_on_postgresql_and_redis():
    assert connection.vendor == "postgresql"
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    assert redis.Redis.from_url(settings.CELERY_BROKER_URL).ping()


def test_every_concrete_model_of_ours_has_history():
    missing = [
        model._meta.label
        for app in OUR_APPS
        for model in apps.get_app_config(app).get_models()
        if not model._meta.abstract
        and not model.__name__.startswith("Historical")
        and not hasattr(model, "history")
        and not getattr(model, "_history_exempt", False)
    ]
    assert missing == []


def test_history_ids_are_64_bit():
    historical = [
        model
        for app in OUR_APPS
        for model in apps.get_app_config(app).get_models()
        if model.__name__.startswith("Historical")
    ]
    assert historical
    narrow = [
        model._meta.label for model in historical if model._meta.pk.get_internal_type() != "BigAutoField"
    ]
    assert narrow == []


def test_migrations_are_complete():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _production_env() -> dict:
    env = {
        k: v for k, v in os.environ.items() if k not in {"SECURE_SSL_REDIRECT", "STATIC_MANIFEST", "DEBUG"}
    }
    env.update(
        DEBUG="false",
        SECRET_KEY="p" + os.urandom(40).hex(),
        ALLOWED_HOSTS="privacy.example.lv",
    )
    return env


def test_check_deploy_is_clean_with_production_variables():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = _production_env()
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(("worker", "broker", "cache", "results"), [("gw0", 0, 1, 2), ("gw3", 9, 10, 11)])
def test_each_parallel_test_worker_gets_redis_databases_and_a_file_folder_of_its_own(
    worker, broker, cache, results
):
    """`make test` runs the suite in parallel workers. Import progress is keyed by job id and sweep locks by
    rule code, and both repeat from one worker's database to the next: two workers sharing Redis would read
    each other's progress and wait on each other's locks. tests/xdist_workers.py moves each to its own."""
    script = "import os, tests.xdist_workers; print(*(os.environ[n] for n in NAMES))".replace(
        "NAMES", repr(("CELERY_BROKER_URL", "REDIS_URL", "CELERY_RESULT_BACKEND", "PRIVATE_STORAGE_ROOT"))
    )
    env = {
        **os.environ,
        "PYTEST_XDIST_WORKER": worker,
        "CELERY_BROKER_URL": "redis://h:1/0",
        "REDIS_URL": "redis://h:1/1",
        "CELERY_RESULT_BACKEND": "redis://h:1/2",
        "PRIVATE_STORAGE_ROOT": "/srv/private",
    }
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.stdout.split() == [
        f"redis://h:1/{broker}",
        f"redis://h:1/{cache}",
        f"redis://h:1/{results}",
        f"/srv/private/{worker}",
    ], done.stderr
