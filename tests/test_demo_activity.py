"""`make run`'s demo beyond customers: one login per staff role, consents, requests in every status, a
complaint, an erasure awaiting approval and a legal hold, so every screen a newcomer opens shows
something (§38–43, §46–50). Idempotent, and the logins exist only in development (DEBUG)."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from consents.demo import DEMO_SOURCE
from consents.models import ConsentEvent
from privacy import demo, roles
from privacy.models import LegalHold
from requests_app import selectors
from requests_app.models import Complaint, SubjectRequest

pytestmark = pytest.mark.django_db

LOGIN = re.compile(r"Created demo login\s+(\S+) / (\S+)")


def _run(command: str, **options) -> str:
    out = StringIO()
    call_command(command, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def demo_site(settings):
    settings.DEBUG = True
    demo.seed_demo(customers=60, jobs=1)
    logins = dict(LOGIN.findall(_run("seed_demo_staff")))
    _run("seed_demo_consents")
    _run("seed_demo_requests")
    return logins


def test_every_role_gets_a_login_that_works_and_sees_its_screens(demo_site, client):
    assert set(demo_site) == {"agent", "dpo", "deputy-dpo", "retention", "auditor"}
    User = get_user_model()
    for username, password in demo_site.items():
        user = User.objects.get(username=username)
        assert user.is_staff and not user.is_superuser
        assert {group.name for group in user.groups.all()} <= {role.group for role in roles.ROLES}
        response = client.post(
            reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"}
        )
        assert response.status_code == 302, username  # the login form accepted the printed password
        assert client.get(reverse("admin:index")).status_code == 200
        client.logout()
    dpo = User.objects.get(username="dpo")
    assert dpo.has_perm("requests_app.approve_erasure")
    assert not User.objects.get(username="agent").has_perm("requests_app.decide_subjectrequest")


def test_requests_in_every_status_an_overdue_one_and_an_erasure_awaiting_approval(demo_site):
    statuses = set(SubjectRequest.objects.values_list("status", flat=True))
    assert statuses == set(SubjectRequest.Status.values)
    assert selectors.requests_overdue().exists()
    waiting = SubjectRequest.objects.get(type=SubjectRequest.Type.ERASURE)
    assert waiting.status == SubjectRequest.Status.IN_EVALUATION and waiting.erasure_approved_at is None
    # Four eyes (§41 erasure): the evaluator is one DPO-role login, the other can approve.
    assert waiting.evaluated_by.username in {"dpo", "deputy-dpo"}
    assert Complaint.objects.filter(status=Complaint.Status.OPEN, handled_by__isnull=False).exists()
    assert LegalHold.objects.filter(released_at__isnull=True).count() == 1
    events = ConsentEvent.objects.filter(source=DEMO_SOURCE)
    assert events.filter(action="given").exists() and events.filter(action="withdrawn").exists()


def test_a_second_run_adds_nothing_and_prints_no_password(demo_site):
    counts = (SubjectRequest.objects.count(), ConsentEvent.objects.count(), LegalHold.objects.count())
    again = _run("seed_demo_staff")
    assert not LOGIN.search(again) and "exists" in again
    assert "nothing to add" in _run("seed_demo_consents")
    assert "nothing to add" in _run("seed_demo_requests")
    assert (SubjectRequest.objects.count(), ConsentEvent.objects.count(), LegalHold.objects.count()) == counts


def test_demo_logins_are_refused_outside_development(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="development only"):
        _run("seed_demo_staff")
    assert not get_user_model().objects.filter(username="agent").exists()


@pytest.mark.parametrize("customers", [20, 12])
def test_the_demo_requests_work_with_a_small_demo(settings, customers):
    """`make run DEMO_CUSTOMERS=20` gets its requests, complaint and hold too (it stopped on the 20th)."""
    settings.DEBUG = True
    demo.seed_demo(customers=customers, jobs=1)
    _run("seed_demo_staff")

    _run("seed_demo_requests")

    assert SubjectRequest.objects.count() == 9
    assert Complaint.objects.count() == 1 and LegalHold.objects.count() == 1


def test_too_small_a_demo_for_the_requests_is_told_and_nothing_is_half_made(settings):
    settings.DEBUG = True
    demo.seed_demo(customers=11, jobs=1)
    _run("seed_demo_staff")

    with pytest.raises(CommandError, match=r"need 12 demo customers; there are 11"):
        _run("seed_demo_requests")

    assert not SubjectRequest.objects.exists() and not LegalHold.objects.exists()
