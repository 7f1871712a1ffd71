"""Demo requests for `make run`: one in every status of the workflow (§38–42), one overdue, an erasure
that waits for the second person's approval (four eyes), a complaint with the DPO (§43), and a legal
hold, so that every screen a newcomer opens has something to show. Through the services, as staff would."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.demo.staff import demo_users
from privacy.models import Customer, LegalHold
from privacy.roles import AGENT, DPO

from . import deadlines, services
from .models import Complaint, SubjectRequest

Type = SubjectRequest.Type
PORTAL = SubjectRequest.Channel.PORTAL
PEOPLE_NEEDED = 12  # nine requests, a complaint and a hold, each about a customer of its own
SPARED = 20  # when there are enough, the first demo customers are left without requests, as before


class DemoTooSmall(Exception):
    """Fewer demo customers than the demo requests need."""


def _received(days_ago: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days_ago)


@transaction.atomic
def demo_requests_ensure() -> dict[str, int]:
    """Create the demo requests, complaint and hold once (a second run adds nothing); needs the demo
    customers (`seed_demo`) and demo staff (`seed_demo_staff`). Returns what was created, by kind."""
    agents, dpos = demo_users(AGENT.key), demo_users(DPO.key)
    if not agents or len(dpos) < 2:
        return {}
    agent, dpo = agents[0], dpos[0]
    if SubjectRequest.objects.filter(registered_by=agent).exists():
        return {}
    candidates = list(
        Customer.objects.filter(status=Customer.Status.ACTIVE, customer_number__startswith="C")
        .exclude(legal_holds__isnull=False)
        .order_by("customer_number")[: SPARED + PEOPLE_NEEDED]
    )
    if len(candidates) < PEOPLE_NEEDED:
        raise DemoTooSmall(
            _("The demo requests need %(needed)d demo customers; there are %(found)d (seed_demo).")
            % {"needed": PEOPLE_NEEDED, "found": len(candidates)}
        )
    people = iter(candidates[-PEOPLE_NEEDED:])  # past the first SPARED customers when there are enough

    def register(kind: str, days_ago: int, **extra) -> SubjectRequest:
        customer = next(people)
        return services.request_register(
            actor=agent,
            type=kind,
            channel=PORTAL,
            received_at=_received(days_ago),
            customer=customer,
            requester_name=f"{customer.first_name} {customer.last_name}".strip(),
            details="Demo request.",
            preferred_answer_method=SubjectRequest.AnswerMethod.PORTAL,
            **extra,
        )

    def verified(kind: str, days_ago: int, **extra) -> SubjectRequest:
        subject_request = register(kind, days_ago, **extra)
        return services.request_verify_identity(
            subject_request=subject_request, actor=agent, portal_session_id=f"demo-{subject_request.pk}"
        )

    def evaluating(kind: str, days_ago: int, **extra) -> SubjectRequest:
        return services.request_start_evaluation(subject_request=verified(kind, days_ago, **extra), actor=dpo)

    register(Type.ACCESS, 1)
    register(Type.COPY, 40)  # received forty days ago, still not verified: overdue (§41)
    verified(Type.RECTIFICATION, 5)
    evaluating(Type.PORTABILITY, 12)
    evaluating(Type.ERASURE, 8)  # waits for the deputy DPO's approval (four eyes)
    services.request_fulfil(subject_request=evaluating(Type.ACCESS, 20), actor=dpo)
    services.request_fulfil(
        subject_request=evaluating(Type.RESTRICTION, 15),
        actor=dpo,
        partly=True,
        notes="Restricted; invoices stay in billing under the 5-year duty (§31.3).",
    )
    services.request_refuse(
        subject_request=evaluating(Type.OBJECTION, 18),
        actor=dpo,
        reason="Demo: the processing objected to is required by the contract.",
    )
    answered = services.request_fulfil(subject_request=evaluating(Type.ACCESS, 25), actor=dpo)
    services.request_answer(
        subject_request=answered,
        actor=dpo,
        method=SubjectRequest.AnswerMethod.PORTAL,
        answered_on=deadlines.today(),
    )
    complaint = services.complaint_register(
        actor=agent,
        description="Demo complaint: the customer says marketing e-mails went on after the opt-out.",
        customer=next(people),
        received_at=_received(3),
    )
    services.complaint_assign(complaint=complaint, actor=agent, dpo=dpo)
    hold = LegalHold(
        customer=next(people),
        reason="Demo: court case about a disputed invoice; keep everything until the ruling.",
        set_by=dpo,
    )
    hold.full_clean()
    hold.save()
    return {
        "requests": SubjectRequest.objects.filter(registered_by=agent).count(),
        "complaints": Complaint.objects.filter(registered_by=agent).count(),
        "legal holds": 1,
    }
