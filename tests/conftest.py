import pytest
from django.conf import settings


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
