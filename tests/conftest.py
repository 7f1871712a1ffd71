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


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    where = f"{db['ENGINE']} {db.get('HOST', '')}:{db.get('PORT', '')}"
    return f"database: {where}; broker: {settings.CELERY_BROKER_URL}"
