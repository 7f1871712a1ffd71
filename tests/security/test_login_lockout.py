"""Repeated failed logins lock the username and, separately, the address (django-axes; §22).
A forged X-Forwarded-For header cannot move the lock to someone else or escape it: the address is
django-axes' own (django-ipware, AXES_IPWARE_* from TRUSTED_PROXY_COUNT), not a parser of ours."""

import datetime

import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from config.settings import axes_proxy_settings
from tests.factories import UserFactory

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
ATTACKER = "203.0.113.7"


def _behind_proxies(settings, count: int) -> None:
    """The settings TRUSTED_PROXY_COUNT=count gives (config/settings.py)."""
    settings.TRUSTED_PROXY_COUNT = count
    for name, value in axes_proxy_settings(count).items():
        setattr(settings, name, value)


@pytest.fixture
def agent():
    return UserFactory(username="agent")


def _login(client, username: str, password: str, *, ip: str = ATTACKER, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": ip}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, **extra)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_four_failures_still_allow_a_login_the_fifth_locks(client, agent, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert _login(client, "agent", "wrong").status_code == 200  # the form again, with its error
    assert _login(client, "agent", PASSWORD).status_code == 302  # the right password still works
    assert _logged_in(client)


def test_five_failures_lock_the_username_even_with_the_right_password(client, agent):
    for attempt in range(5):
        response = _login(client, "agent", "wrong", ip=f"198.51.100.{attempt}")
    assert response.status_code == 429
    # The right password, from yet another address: still locked (the lock is on the username too).
    response = _login(client, "agent", PASSWORD, ip="192.0.2.99")
    assert response.status_code == 429
    assert not _logged_in(client)


def test_five_failures_from_one_address_lock_the_address_whatever_the_forwarded_header_says(client, agent):
    """Rotating usernames and X-Forwarded-For values from one REMOTE_ADDR: the address is locked, so
    the real user's right password from that address is refused too."""
    for attempt in range(5):
        response = _login(
            client,
            f"guess{attempt}",
            "wrong",
            forwarded=f"10.{attempt}.{attempt}.{attempt}, 172.16.0.{attempt}",
        )
    assert response.status_code == 429
    assert _login(client, "agent", PASSWORD, forwarded="192.0.2.1").status_code == 429
    assert not _logged_in(client)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_a_locked_address_does_not_lock_out_colleagues_elsewhere(client, agent):
    for attempt in range(5):
        _login(client, f"guess{attempt}", "wrong")
    assert _login(client, "agent", PASSWORD, ip="192.0.2.50").status_code == 302
    assert _logged_in(client)


def test_a_forged_header_cannot_lock_out_someone_else(client, agent):
    """The attacker names the agent's office address in X-Forwarded-For; the agent is not locked."""
    for attempt in range(5):
        _login(client, f"guess{attempt}", "wrong", forwarded="192.0.2.50")
    assert _login(client, "agent", PASSWORD, ip="192.0.2.50").status_code == 302


def test_behind_a_trusted_proxy_the_client_is_the_address_the_proxy_saw(client, agent, settings):
    """TRUSTED_PROXY_COUNT=1: the proxy appends the client's address; what the client wrote to the left of
    it is ignored, so rotating it does not escape the lock."""
    _behind_proxies(settings, 1)
    proxy = "10.0.0.2"
    for attempt in range(5):
        response = _login(
            client, f"guess{attempt}", "wrong", ip=proxy, forwarded=f"1.2.3.{attempt}, {ATTACKER}"
        )
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    # Another client behind the same proxy is not locked out.
    assert _login(client, "agent", PASSWORD, ip=proxy, forwarded="192.0.2.60").status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, agent, settings):
    """Locked for 30 minutes from the last failure: still locked a minute before, free a minute after."""
    assert datetime.timedelta(minutes=30) == settings.AXES_COOLOFF_TIME
    for _ in range(5):
        _login(client, "agent", "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=29))
    assert _login(client, "agent", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))
    assert _login(client, "agent", PASSWORD).status_code == 302


def test_a_successful_login_resets_the_count(client, agent):
    for _ in range(4):
        _login(client, "agent", "wrong")
    assert _login(client, "agent", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, "agent", "wrong")
    assert _login(client, "agent", PASSWORD).status_code == 302


def test_force_login_is_unaffected(client, agent):
    """Tests and tools log staff in with force_login, which bypasses authentication backends."""
    client.force_login(agent)
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize(
    "remote,forwarded,trusted,expected",
    [
        ("203.0.113.7", None, 0, "203.0.113.7"),
        ("203.0.113.7", "1.1.1.1", 0, "203.0.113.7"),  # header ignored without a trusted proxy
        ("10.0.0.2", "1.1.1.1, 203.0.113.7", 1, "203.0.113.7"),  # the right-most: what the proxy saw
        ("10.0.0.2", "203.0.113.7", 1, "203.0.113.7"),
        ("10.0.0.2", "1.1.1.1, 203.0.113.7, 10.0.0.1", 2, "203.0.113.7"),
        ("10.0.0.2", "8.8.8.8, 9.9.9.9, 203.0.113.7, 10.0.0.1", 2, "203.0.113.7"),
        # Fewer hops than proxies (the request did not come through them all): no address is
        # believed, and all such requests share one lock (see the test below).
        ("10.0.0.2", "203.0.113.7", 2, None),
        ("10.0.0.2", "not-an-ip, garbage", 1, "10.0.0.2"),
        ("10.0.0.2", "", 1, "10.0.0.2"),
        ("10.0.0.2", "2001:db8::1", 1, "2001:db8::1"),
    ],
)
def test_client_ip(settings, remote, forwarded, trusted, expected):
    _behind_proxies(settings, trusted)
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    assert get_client_ip_address(RequestFactory().get("/", **extra)) == expected


def test_the_address_is_django_axes_own_through_django_ipware(settings):
    """No hand-written parser: django-axes reads the address with django-ipware, configured by its own
    AXES_IPWARE_* settings (config/settings.py derives them from TRUSTED_PROXY_COUNT)."""
    import axes.helpers

    assert settings.AXES_CLIENT_IP_CALLABLE is None
    assert axes.helpers.IPWARE_INSTALLED
    assert settings.AXES_IPWARE_META_PRECEDENCE_ORDER == ("REMOTE_ADDR",)  # no proxy by default


@pytest.mark.parametrize("proxies", [1, 2])
def test_rotating_forged_entries_behind_the_proxies_does_not_escape_the_address_lock(
    client, agent, settings, proxies
):
    """Behind N proxies the attacker controls everything left of the N entries the proxies appended:
    five failures with a different forged chain each still lock the one address the nearest proxies
    saw, and the agent's right password from it is refused."""
    _behind_proxies(settings, proxies)
    hops = ["10.0.0.1"] * (proxies - 1)  # what the outer proxies saw (the next proxy in)
    for attempt in range(5):
        forged = [f"198.51.100.{attempt}", f"192.0.2.{attempt}"][: attempt % 2 + 1]
        chain = ", ".join([*forged, ATTACKER, *hops])
        response = _login(client, f"guess{attempt}", "wrong", ip="10.0.0.2", forwarded=chain)
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    chain = ", ".join(["192.0.2.77", ATTACKER, *hops])
    assert _login(client, "agent", PASSWORD, ip="10.0.0.2", forwarded=chain).status_code == 429


def test_requests_that_skipped_a_proxy_share_one_lock(client, agent, settings):
    """Behind two proxies, requests whose header lists fewer hops have no believed address; rotating
    the header does not give each its own count."""
    _behind_proxies(settings, 2)
    for attempt in range(5):
        response = _login(
            client, f"guess{attempt}", "wrong", ip="10.0.0.2", forwarded=f"198.51.100.{attempt}"
        )
    assert response.status_code == 429
    assert _login(client, "agent", PASSWORD, ip="10.0.0.2", forwarded="192.0.2.1").status_code == 429
