"""The table of steps (requests_app/workflow.py) walked from both sides: for every step and every status
of a request (§38–42) or a complaint (§43–44), the admin offers the step's button exactly when the
service accepts the step, and the service accepts it exactly from the statuses the table names."""

import contextlib
import datetime

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from requests_app import deadlines, workflow
from requests_app.admin import COMPLAINT_TRANSITIONS, REQUEST_TRANSITIONS
from requests_app.models import Complaint, Letter, RectificationChange, SubjectRequest
from tests.factories import CustomerFactory, UserFactory
from tests.requests_app.conftest import grant
from tests.requests_app.factories import ComplaintFactory, SubjectRequestFactory

pytestmark = pytest.mark.django_db

Status = SubjectRequest.Status
Type = SubjectRequest.Type
TODAY = deadlines.today()
LETTER_PERMS = ("requests_app.add_letter", "requests_app.change_letter")


class RolledBack(Exception):
    pass


@contextlib.contextmanager
def rolled_back():
    """Everything inside is undone afterwards, so each step × status starts from the same data."""
    with contextlib.suppress(RolledBack), transaction.atomic():
        yield
        raise RolledBack


def request_in(status: str, kind: str, *, approved=False, corrected=False, letter=False, **fields):
    """A request of `kind` in `status`, with what that status implies already recorded (verification,
    evaluation by someone else, the decision, the answer)."""
    now = timezone.now()
    values = {"customer": CustomerFactory(), "type": kind, "status": status, **fields}
    if status != Status.RECEIVED:
        values.update(verified_at=now, verified_by=UserFactory(), identity_document_type="passport")
    if status not in (Status.RECEIVED, Status.IDENTITY_VERIFIED):
        values.update(evaluation_started_at=now, evaluated_by=UserFactory())
    if status in (Status.FULFILLED, Status.PARTLY_FULFILLED, Status.ANSWERED):
        values.update(outcome="partly_fulfilled" if status == Status.PARTLY_FULFILLED else "fulfilled")
    if status == Status.REFUSED:
        values.update(outcome="refused", refusal_reason="§39")
    if status == Status.ANSWERED:
        values.update(answer_method="portal", answered_on=TODAY)
    if approved:
        values.update(erasure_approved_at=now, erasure_approved_by=UserFactory())
    subject_request = SubjectRequestFactory(**values)
    if corrected:
        RectificationChange.objects.create(
            request=subject_request,
            field_name="phone",
            old_value="1",
            new_value="2",
            applied_by=UserFactory(),
        )
    if letter:
        Letter.objects.create(
            request=subject_request,
            kind="acknowledgement",
            language="lv",
            pdf=ContentFile(b"%PDF-1.7", name="letter.pdf"),
            html=ContentFile(b"<p>letter</p>", name="letter.html"),
            pdf_sha256="0" * 64,
            postable=True,
            created_by=UserFactory(),
            **({"sent_on": TODAY, "sent_method": "portal"} if letter == "sent" else {}),
        )
    return subject_request


def request_arguments(step: str, obj) -> dict:
    """Valid input for each step, so only the table can refuse it."""
    return {
        "verify": {"portal_session_id": "portal-session-1"},
        "rectify": {"changes": {"address": "Brīvības iela 1, Rīga"}},
        "extend": {"months": 1, "reason": "Daudz datu (§41).", "notified_on": min(TODAY, obj.due_at)},
        "refuse": {"reason": "Pretrunā ar līgumu (§39)."},
        "letter": {"kind": "acknowledgement", "language": "lv"},
        "letter-sent": {"letter": obj.letters.first(), "method": "portal", "sent_on": TODAY},
        "answer": {"method": "portal", "answered_on": TODAY},
    }.get(step, {})


#: (step, type, how the request is set up, whether some status accepts it).
REQUEST_CASES = [
    ("verify", Type.ACCESS, {}, True),
    ("evaluate", Type.ACCESS, {}, True),
    ("rectify", Type.RECTIFICATION, {}, True),
    ("rectify", Type.ACCESS, {}, False),
    ("package", Type.PORTABILITY, {}, True),
    ("package", Type.ERASURE, {}, False),
    ("approve-erasure", Type.ERASURE, {}, True),
    ("approve-erasure", Type.ERASURE, {"approved": True}, False),
    ("approve-erasure", Type.RESTRICTION, {}, False),
    ("fulfil", Type.ACCESS, {}, True),
    ("fulfil", Type.RESTRICTION, {}, True),
    ("fulfil", Type.RECTIFICATION, {}, False),
    ("fulfil", Type.RECTIFICATION, {"corrected": True}, True),
    ("fulfil", Type.ERASURE, {}, False),
    ("fulfil", Type.ERASURE, {"approved": True}, True),
    ("extend", Type.ACCESS, {}, True),
    ("extend", Type.ACCESS, {"extension_months": 2, "extended_due_at": TODAY}, False),
    ("extend", Type.ACCESS, {"received_at": timezone.now() - datetime.timedelta(days=40)}, False),
    ("refuse", Type.OBJECTION, {}, True),
    ("answer", Type.COPY, {}, True),
    ("letter", Type.ACCESS, {}, True),
    ("letter-sent", Type.ACCESS, {"letter": True}, True),
    ("letter-sent", Type.ACCESS, {"letter": "sent"}, False),
]


#: The cases grouped by how the request is set up: the change view is asked once per status and actor, and
#: each step of the group is tried on that same request (rolled back in between).
REQUEST_GROUPS: dict[tuple, list[tuple[str, bool]]] = {}
for _step, _kind, _setup, _accepts in REQUEST_CASES:
    REQUEST_GROUPS.setdefault((_kind, tuple(sorted(_setup.items()))), []).append((_step, _accepts))


def offered(actor, obj) -> set[str]:
    """The steps whose buttons the admin's change view hands its page, asked of the view itself as
    `actor` (the page's HTML around them is not rendered: the flows in tests/browser click them)."""
    model_admin = admin.site._registry[type(obj)]
    opts = obj._meta
    request = RequestFactory().get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    request.user = actor
    page = model_admin.change_view(request, str(obj.pk))
    assert page.status_code == 200
    return {
        button["url"].rstrip("/").rsplit("/do/", 1)[1] for button in page.context_data["transition_buttons"]
    }


def accepted(transition, obj, actor, arguments) -> bool:
    try:
        with rolled_back():
            transition.run(obj=obj, actor=actor, **arguments)
    except (ValidationError, PermissionDenied):
        return False
    return True


def walk(actor, transitions, names, statuses, build, arguments) -> dict:
    """For each step and status: (offered by the admin, accepted by the service)."""
    by_name = {t.name: t for t in transitions}
    seen = {name: {} for name in names}
    for status in statuses:
        with rolled_back():
            obj = build(status)
            buttons = offered(actor, obj)
            for name in names:
                fresh = type(obj).objects.get(pk=obj.pk)  # as the previous step's rollback left it
                seen[name][status] = (
                    name in buttons,
                    accepted(by_name[name], fresh, actor, arguments(name, fresh)),
                )
    return seen


@pytest.fixture
def officer(dpo):
    """The DPO with the letters' permissions too: every step's permission."""
    return grant(dpo, *LETTER_PERMS)


@pytest.mark.parametrize(
    ("kind", "setup"),
    list(REQUEST_GROUPS),
    ids=lambda v: str(v) if isinstance(v, str) else "-".join(f"{k}" for k, _ in v) or "plain",
)
def test_the_admin_offers_a_request_step_exactly_when_the_service_accepts_it(officer, clerk, kind, setup):
    """§38–42 and four eyes: walked as the DPO (every permission) and as the clerk (deciding, but no
    erasure approval). Letter steps are the DPO's here: their services check no permission."""
    cases = REQUEST_GROUPS[(kind, setup)]
    for actor in (officer, clerk):
        steps = [step for step, _ in cases if actor == officer or not step.startswith("letter")]
        if not steps:
            continue
        seen = walk(
            actor,
            REQUEST_TRANSITIONS,
            steps,
            Status.values,
            lambda status: request_in(status, kind, **dict(setup)),
            request_arguments,
        )
        for step, some_status_accepts in cases:
            if step not in seen:
                continue
            mismatched = {status: pair for status, pair in seen[step].items() if pair[0] != pair[1]}
            assert mismatched == {}, (step, actor.username, "(offered, accepted)", mismatched)
            if actor == officer:
                accepting = {status for status, (_button, ok) in seen[step].items() if ok}
                table = set(workflow.request_step(step).statuses)
                assert accepting == (table if some_status_accepts else set()), (step, accepting)


def complaint_in(status: str) -> Complaint:
    values = {"status": status, "registered_by": UserFactory()}
    if status == Complaint.Status.RESOLVED:
        values.update(resolution="Atbildēts.", resolved_on=TODAY)
    if status in (Complaint.Status.ESCALATED, Complaint.Status.CLOSED):
        values.update(escalated_on=TODAY)
    if status == Complaint.Status.CLOSED:
        values.update(authority_decision="Pārkāpums nav konstatēts.", authority_decided_on=TODAY)
    return ComplaintFactory(**values)


@pytest.mark.parametrize("step", [transition.name for transition in COMPLAINT_TRANSITIONS])
def test_the_admin_offers_a_complaint_step_exactly_when_the_service_accepts_it(dpo, step):
    """§43–44: as the DPO and as a colleague who may change complaints but is no DPO."""
    colleague = grant(
        UserFactory(username="complaints-desk"),
        "requests_app.view_complaint",
        "requests_app.change_complaint",
    )

    def arguments(name, obj):
        return {
            "assign": {"dpo": dpo},
            "resolve": {"resolution": "Atbildēts.", "resolved_on": TODAY},
            "escalate": {"escalated_on": TODAY, "authority_reference": "DVI-1"},
            "authority-reply": {"replied_on": TODAY},
            "authority-decision": {"decision": "Pārkāpums nav konstatēts.", "decided_on": TODAY},
        }[name]

    for actor in (dpo, colleague):
        statuses = Complaint.Status.values
        seen = walk(actor, COMPLAINT_TRANSITIONS, [step], statuses, complaint_in, arguments)[step]
        mismatched = {status: pair for status, pair in seen.items() if pair[0] != pair[1]}
        assert mismatched == {}, (actor.username, "(offered, accepted)", mismatched)
        if actor == dpo:
            accepting = {status for status, (_button, ok) in seen.items() if ok}
            assert accepting == set(workflow.complaint_step(step).statuses)
