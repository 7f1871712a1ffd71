"""Fixtures for the privacy tests."""

import pytest

from tests.factories import UserFactory


@pytest.fixture
def root_client(client):
    """The test client, logged in as a superuser (every admin page, every action)."""
    client.force_login(UserFactory(username="root", is_superuser=True))
    return client
