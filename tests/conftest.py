import pytest
from django.conf import settings

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    """Every staff member a test creates has a password; PBKDF2 at full cost for each would take most of
    the suite's time. Logins still check the hash. A test about hashing itself opts out with
    `@pytest.mark.real_password_hashing` and gets the production hashers."""
    if request.node.get_closest_marker("real_password_hashing") is None:
        settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Each test writes personal files into its own private folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }


@pytest.fixture(autouse=True)
def _reference_data_after_a_flush(request):
    """A test in a database transaction finds what migrate leaves (privacy/sync.py), even after a
    flush. pytest-django runs the transactional tests, which end with a flush, after the others; but a
    parallel worker that finishes its share early takes tests from the end of another's share, and may
    run them after its own transactional tests. Then the sync runs again, inside the test's transaction."""
    marker = request.node.get_closest_marker("django_db")
    kwargs = marker.kwargs if marker else {}
    fixtures = set(request.fixturenames)
    if marker is None and "db" not in fixtures:
        return
    transactional = kwargs.get("transaction") or kwargs.get("reset_sequences")
    if transactional or {"transactional_db", "live_server"} & fixtures:
        return
    request.getfixturevalue("db")
    from django.contrib.auth.models import Group

    if not Group.objects.exists():
        from privacy.sync import sync_reference

        sync_reference()


@pytest.fixture
def seeded(transactional_db):
    """Reference registers, consent topics, retention rules, schedules and the role groups, as migrate
    leaves them: a transactional test before this one may have flushed the database, so the sync that
    runs after migrate (privacy/sync.py) runs again.

    Cheaper than `serialized_rollback` (which reloads every row of the database, object by object) and
    safe with it: restoring the serialized database collides with the content types a previous
    transactional test's flush recreated (post_migrate).
    """
    from privacy.sync import sync_reference

    sync_reference()


@pytest.fixture
def eager_celery():
    """Tasks run in-process (as in the embedded run), so none is left on the test broker."""
    from retention.tasks import sweep_rule

    conf = sweep_rule.app.conf
    previous = conf.task_always_eager
    conf.task_always_eager = True
    yield
    conf.task_always_eager = previous


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    where = f"{db['ENGINE']} {db.get('HOST', '')}:{db.get('PORT', '')}"
    return f"database: {where}; broker: {settings.CELERY_BROKER_URL}"
