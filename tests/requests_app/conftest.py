import pytest
from django.contrib.auth.models import Permission

from tests.factories import CustomerFactory, UserFactory


def grant(user, *perms: str):
    """Give `user` permissions ("app_label.codename") and return a fresh instance (no permission cache)."""
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def clerk():
    """Staff handling requests: registers, verifies and decides them (but approves no erasure)."""
    return grant(
        UserFactory(username="clerk"),
        "requests_app.view_subjectrequest",
        "requests_app.add_subjectrequest",
        "requests_app.change_subjectrequest",
        "requests_app.decide_subjectrequest",
    )


@pytest.fixture
def colleague():
    return grant(UserFactory(username="colleague"), "requests_app.change_subjectrequest")


@pytest.fixture
def dpo():
    """The data protection officer: approves erasures (four eyes) and handles complaints (§43)."""
    return grant(
        UserFactory(username="dpo"),
        "requests_app.view_subjectrequest",
        "requests_app.change_subjectrequest",
        "requests_app.decide_subjectrequest",
        "requests_app.approve_erasure",
        "requests_app.handle_complaint",
        "requests_app.view_complaint",
        "requests_app.change_complaint",
        "requests_app.download_exportpackage",
    )


@pytest.fixture
def customer():
    return CustomerFactory()
