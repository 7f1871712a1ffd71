"""Fixtures of the consents tests: staff with given permissions, and a logged-in importer."""

import pytest
from django.contrib.auth.models import Permission

from tests.factories import UserFactory


def staff_with(*codenames: str, username: str = "clerk", **fields):
    user = UserFactory(username=username, **fields)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="consents", codename__in=codenames)
    )
    return user


@pytest.fixture
def importer(client):
    user = staff_with("view_consentevent", "import_consentevent", "view_consentimport")
    client.force_login(user)
    client.user = user
    return client
