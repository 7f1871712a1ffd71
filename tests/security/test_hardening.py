"""Production settings and session handling (§22, issue 7): secure cookies, idle staff logged out,
password rules, oversized requests refused before they are read."""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def _production_settings(*names: str, **variables: str) -> dict:
    """Settings as production loads them (DEBUG off, nothing but the required secrets set)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "SESSION_", "CSRF_"))}
    env.update(DEBUG="false", SECRET_KEY="p" + "k" * 60, ALLOWED_HOSTS="privacy.example.lv", **variables)
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: str(getattr(settings, n)) for n in {list(names)!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_cookies_are_secure_and_http_only():
    values = _production_settings(
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_AGE",
        "SESSION_SAVE_EVERY_REQUEST",
        "X_FRAME_OPTIONS",
        "TRUSTED_PROXY_COUNT",
    )
    assert values == {
        "SESSION_COOKIE_SECURE": "True",
        "CSRF_COOKIE_SECURE": "True",
        "SESSION_COOKIE_HTTPONLY": "True",
        "SECURE_SSL_REDIRECT": "True",
        "SECURE_HSTS_SECONDS": "31536000",
        "SESSION_COOKIE_AGE": "1800",
        "SESSION_SAVE_EVERY_REQUEST": "True",
        "X_FRAME_OPTIONS": "DENY",
        "TRUSTED_PROXY_COUNT": "0",
    }


def test_the_session_cookie_is_http_only_and_renewed_on_every_request(client, settings):
    client.force_login(UserFactory(username="agent"))
    response = client.get(reverse("admin:index"))
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE == 30 * 60


def test_an_idle_staff_member_is_logged_out_after_30_minutes(client):
    client.force_login(UserFactory(username="agent"))
    assert client.get(reverse("admin:index")).status_code == 200
    key = client.session.session_key
    session = Session.objects.get(session_key=key)
    # Activity 29 minutes ago: the session still holds (each request pushed the expiry on by 30 minutes).
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + datetime.timedelta(minutes=1))
    assert client.get(reverse("admin:index")).status_code == 200
    assert Session.objects.get(pk=key).expire_date > session.expire_date - datetime.timedelta(seconds=5)
    # Idle for 30 minutes and a second: gone.
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    "password,why",
    [
        ("Balt1c0m!", "too short"),  # fewer than 12 characters
        ("password1234", "too common"),
        ("849302718465", "entirely numeric"),
        ("ilze.kalnina.rig", "too similar"),
    ],
)
def test_weak_staff_passwords_are_refused(password, why):
    user = UserFactory.build(username="ilze.kalnina", email="ilze.kalnina@balticom.lv")
    with pytest.raises(ValidationError) as raised:
        validate_password(password, user)
    assert why in " ".join(raised.value.messages)


def test_a_strong_password_is_accepted():
    validate_password("correct horse battery staple", UserFactory.build(username="agent"))


def test_a_request_body_over_the_limit_is_refused_before_it_is_read(client, settings):
    settings.MAX_REQUEST_BYTES = 1024
    client.force_login(UserFactory(username="agent"))
    response = client.post(
        reverse("admin:consents_consentevent_import"),
        data=b"x" * 2048,
        content_type="application/octet-stream",
    )
    assert response.status_code == 413
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_default_request_limit_leaves_room_for_the_largest_upload(settings):
    from consents.forms import max_upload_bytes
    from privacy.uploads import max_recording_bytes

    assert max(max_upload_bytes(), max_recording_bytes()) < settings.MAX_REQUEST_BYTES


def test_the_consent_import_limits_come_from_the_environment():
    """Both limits are configuration (README table), not code defaults only."""
    values = _production_settings(
        "CONSENT_IMPORT_MAX_BYTES",
        "CONSENT_IMPORT_ASYNC_ROWS",
        CONSENT_IMPORT_MAX_BYTES="1048576",
        CONSENT_IMPORT_ASYNC_ROWS="500",
    )
    assert values == {"CONSENT_IMPORT_MAX_BYTES": "1048576", "CONSENT_IMPORT_ASYNC_ROWS": "500"}
    defaults = _production_settings("CONSENT_IMPORT_MAX_BYTES", "CONSENT_IMPORT_ASYNC_ROWS")
    assert defaults == {
        "CONSENT_IMPORT_MAX_BYTES": str(256 * 1024 * 1024),
        "CONSENT_IMPORT_ASYNC_ROWS": "10000",
    }


def test_the_proxy_count_configures_django_axes_own_address_settings():
    values = _production_settings(
        "AXES_IPWARE_PROXY_COUNT", "AXES_IPWARE_META_PRECEDENCE_ORDER", TRUSTED_PROXY_COUNT="1"
    )
    assert values == {
        "AXES_IPWARE_PROXY_COUNT": "0",
        "AXES_IPWARE_META_PRECEDENCE_ORDER": str(("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")),
    }


def _check_deploy(**variables: str) -> subprocess.CompletedProcess:
    env = {
        k: v for k, v in os.environ.items() if k not in {"SECURE_SSL_REDIRECT", "STATIC_MANIFEST", "DEBUG"}
    }
    env.update(DEBUG="false", SECRET_KEY="p" + "k" * 60, ALLOWED_HOSTS="privacy.example.lv", **variables)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    "key, error",
    [
        ("short-key-31-bytes-xxxxxxxxxxxx", "privacy.E001"),  # one byte short
        ("p" + "k" * 60, "privacy.E002"),  # SECRET_KEY's value
    ],
)
def test_check_deploy_refuses_a_weak_suppression_key(key, error):
    """§38, §60: the suppression list's keyed hashes are only as strong as their key; a key shared with
    SECRET_KEY would be rotated with it, orphaning every stored hash."""
    result = _check_deploy(SUPPRESSION_HMAC_KEY=key)
    assert result.returncode != 0
    assert error in result.stderr + result.stdout


def test_the_suppression_key_check_accepts_a_key_of_32_bytes(settings):
    from django.core import checks

    settings.SUPPRESSION_HMAC_KEY = "k" * 32
    assert [m for m in checks.run_checks(include_deployment_checks=True) if m.id.startswith("privacy.")] == []
    settings.SUPPRESSION_HMAC_KEY = "ķ" * 16  # 32 bytes in UTF-8, 16 characters
    assert [m for m in checks.run_checks(include_deployment_checks=True) if m.id.startswith("privacy.")] == []
    settings.SUPPRESSION_HMAC_KEY = "k" * 31
    found = [m.id for m in checks.run_checks(include_deployment_checks=True) if m.id.startswith("privacy.")]
    assert found == ["privacy.E001"]
