"""The table of steps of a data-subject request (§38–42) and of a complaint (§43–44).

For each step: the statuses it is allowed from, the permission it needs, and the predicates the request
(or complaint) and the acting person must meet, each with the refusal it gives. The services enforce the
table (`require`), the admin asks it which buttons to show (`offered`): one place for each rule.

    received -> identity verified -> in evaluation -> fulfilled / partly fulfilled / refused -> answered
    complaint: open -> resolved -> escalated -> closed (an open one may be escalated at once)
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import deadlines
from .models import Complaint, SubjectRequest

Status = SubjectRequest.Status
Type = SubjectRequest.Type
CStatus = Complaint.Status

#: The permission to take a request beyond intake: evaluating, extending, correcting, packaging,
#: fulfilling, refusing and answering decide a request (§38–42), the data protection officer's work,
#: not intake's (registration and the identity check; privacy/roles.py).
DECIDE = "requests_app.decide_subjectrequest"
APPROVE_ERASURE = "requests_app.approve_erasure"
HANDLE_COMPLAINT = "requests_app.handle_complaint"

#: The statuses a request is still decided in (extending and refusing are possible in each).
UNDECIDED = (Status.RECEIVED, Status.IDENTITY_VERIFIED, Status.IN_EVALUATION)


@dataclass(frozen=True)
class Predicate:
    """A condition a step needs, and the refusal when it does not hold.

    `test(obj, actor, today)` says whether it holds; `message(obj)` is the refusal's text, put on
    `field` when there is one. `of_actor` marks a condition on who acts (four eyes): the object's state
    alone cannot tell it.
    """

    test: Callable[[Any, Any, datetime.date], bool]
    message: Callable[[Any], str]
    code: str = ""
    field: str = ""
    of_actor: bool = False

    def require(self, obj, actor=None, today: datetime.date | None = None) -> None:
        """Refuse (ValidationError) unless the condition holds."""
        if not self.test(obj, actor, today or deadlines.today()):
            raise self.refusal(obj)

    def refusal(self, obj) -> ValidationError:
        error = ValidationError(self.message(obj), code=self.code or None)
        return ValidationError({self.field: error}) if self.field else error


@dataclass(frozen=True)
class Step:
    """One step: allowed from `statuses` by whoever holds `permission` (none: whoever may change the
    record), when every predicate in `before` (checked before the status) and `after` holds."""

    name: str
    model: type
    statuses: tuple[str, ...]
    action: Any  # how the refusal names the step: "… cannot be %(action)s now"
    permission: str = ""
    permission_message: Any = ""
    before: tuple[Predicate, ...] = ()
    after: tuple[Predicate, ...] = ()


# --- predicates ------------------------------------------------------------------------------------


def is_second_person(subject_request: SubjectRequest, actor) -> bool:
    """Four eyes: `actor` neither registered nor evaluated the request, so may approve its erasure."""
    return actor.pk not in (subject_request.registered_by_id, subject_request.evaluated_by_id)


def _of_type(*types: str, message: Any) -> Predicate:
    return Predicate(lambda obj, actor, today: obj.type in types, lambda obj: str(message), "wrong_type")


VERIFIED = Predicate(
    lambda obj, actor, today: obj.verified_at is not None and obj.customer_id is not None,
    lambda obj: (
        _("%(request)s: the requester's identity is not verified; nothing is fulfilled before that (§41).")
        % {"request": obj}
    ),
    "not_verified",
)
#: Evaluation starts from a verified identity: a request still received is refused for that (§41).
VERIFIED_IF_RECEIVED = Predicate(
    lambda obj, actor, today: obj.status != Status.RECEIVED or VERIFIED.test(obj, actor, today),
    VERIFIED.message,
    "not_verified",
)
EXTENSION_LEFT = Predicate(
    lambda obj, actor, today: obj.extension_months < deadlines.MAX_EXTENSION_MONTHS,
    lambda obj: (
        _("At most two further months in all; this request is already extended by %(done)d.")
        % {"done": obj.extension_months}
    ),
    "extension_used",
    field="months",
)
#: GDPR Art. 12(3): an extension is decided and told within the first month.
IN_FIRST_MONTH = Predicate(
    lambda obj, actor, today: today <= obj.due_at,
    lambda obj: (
        _("The first month ended on %(due)s: an extension can only be decided and told within it.")
        % {"due": obj.due_at.isoformat()}
    ),
    "first_month_over",
    field="__all__",
)
NOT_APPROVED_YET = Predicate(
    lambda obj, actor, today: obj.erasure_approved_at is None,
    lambda obj: _("This erasure is already approved."),
    "already_approved",
)
SECOND_PERSON = Predicate(
    lambda obj, actor, today: is_second_person(obj, actor),
    lambda obj: _(
        "Four eyes: the approver must be a second person, not who registered or evaluated the request."
    ),
    "four_eyes",
    of_actor=True,
)
CORRECTION_APPLIED = Predicate(
    lambda obj, actor, today: obj.type != Type.RECTIFICATION or obj.rectifications.exists(),
    lambda obj: _("Apply the correction first: no field has been corrected through it."),
    "not_corrected",
)
ERASURE_APPROVED = Predicate(
    lambda obj, actor, today: obj.type != Type.ERASURE or obj.erasure_approved_at is not None,
    lambda obj: _("An erasure needs the approval of a second staff member (four eyes) first."),
    "not_approved",
)
ERASURE_BY_DPO = Predicate(
    lambda obj, actor, today: obj.type != Type.ERASURE or actor.has_perm(APPROVE_ERASURE),
    lambda obj: _("Only the data protection officer carries out an erasure."),
    "not_permitted",
    of_actor=True,
)
UNSENT_LETTER = Predicate(
    lambda obj, actor, today: obj.letters.filter(sent_on__isnull=True).exists(),
    lambda obj: _("%(request)s has no letter waiting to be sent.") % {"request": obj},
    "no_unsent_letter",
)


# --- the table -------------------------------------------------------------------------------------

_DECIDER = {
    "permission": DECIDE,
    "permission_message": gettext_lazy(
        "Deciding a data-subject request needs the permission to decide requests."
    ),
}
_DPO = {
    "permission": HANDLE_COMPLAINT,
    "permission_message": gettext_lazy("Complaints are handled by the data protection officer (§43)."),
}

REQUEST_STEPS = {
    step.name: step
    for step in (
        Step("verify", SubjectRequest, (Status.RECEIVED,), gettext_lazy("verified")),
        Step(
            "evaluate",
            SubjectRequest,
            (Status.IDENTITY_VERIFIED,),
            gettext_lazy("put into evaluation"),
            before=(VERIFIED_IF_RECEIVED,),
            **_DECIDER,
        ),
        Step(
            "rectify",
            SubjectRequest,
            (Status.IN_EVALUATION,),
            gettext_lazy("used to correct data"),
            before=(
                _of_type(
                    Type.RECTIFICATION,
                    message=gettext_lazy("Only a rectification request corrects the customer's data."),
                ),
                VERIFIED,
            ),
            **_DECIDER,
        ),
        Step(
            "package",
            SubjectRequest,
            (Status.IN_EVALUATION, Status.FULFILLED, Status.PARTLY_FULFILLED),
            gettext_lazy("packaged"),
            before=(
                _of_type(
                    *SubjectRequest.EXPORT_TYPES,
                    message=gettext_lazy("Only access, copy and portability requests get a data package."),
                ),
                VERIFIED,
            ),
            **_DECIDER,
        ),
        Step(
            "approve-erasure",
            SubjectRequest,
            (Status.IN_EVALUATION,),
            gettext_lazy("approved"),
            permission=APPROVE_ERASURE,
            permission_message=gettext_lazy("Approving an erasure needs the permission to approve erasures."),
            before=(
                _of_type(Type.ERASURE, message=gettext_lazy("Only erasure requests need approval.")),
                VERIFIED,
            ),
            after=(NOT_APPROVED_YET, SECOND_PERSON),
        ),
        Step(
            "fulfil",
            SubjectRequest,
            (Status.IN_EVALUATION,),
            gettext_lazy("fulfilled"),
            before=(VERIFIED,),
            after=(CORRECTION_APPLIED, ERASURE_APPROVED, ERASURE_BY_DPO),
            **_DECIDER,
        ),
        Step(
            "extend",
            SubjectRequest,
            UNDECIDED,
            gettext_lazy("extended"),
            after=(EXTENSION_LEFT, IN_FIRST_MONTH),
            **_DECIDER,
        ),
        Step("refuse", SubjectRequest, UNDECIDED, gettext_lazy("refused"), **_DECIDER),
        # A letter may be written and recorded as sent in any status (the kinds on offer follow the state).
        Step("letter", SubjectRequest, tuple(Status), "", permission="requests_app.add_letter"),
        Step(
            "letter-sent",
            SubjectRequest,
            tuple(Status),
            "",
            permission="requests_app.change_letter",
            after=(UNSENT_LETTER,),
        ),
        Step("answer", SubjectRequest, SubjectRequest.DECIDED_STATUSES, gettext_lazy("answered"), **_DECIDER),
    )
}

COMPLAINT_STEPS = {
    step.name: step
    for step in (
        Step("assign", Complaint, (CStatus.OPEN, CStatus.ESCALATED), gettext_lazy("assigned")),
        Step("resolve", Complaint, (CStatus.OPEN,), gettext_lazy("resolved"), **_DPO),
        Step("escalate", Complaint, (CStatus.OPEN, CStatus.RESOLVED), gettext_lazy("escalated")),
        Step(
            "authority-reply", Complaint, (CStatus.ESCALATED,), gettext_lazy("answered to the inspectorate")
        ),
        Step("authority-decision", Complaint, (CStatus.ESCALATED,), gettext_lazy("closed")),
    )
}


# --- asking the table ------------------------------------------------------------------------------


def permitted(step: Step, actor) -> bool:
    """Whether `actor` holds the step's permission (a step without one is anyone's who may change)."""
    if not step.permission:
        return True
    return actor is not None and actor.has_perm(step.permission)


def _status_refusal(step: Step, obj) -> ValidationError:
    if step.model is Complaint:
        message = _("%(complaint)s is “%(status)s”: it cannot be %(action)s now.") % {
            "complaint": obj,
            "status": obj.get_status_display(),
            "action": step.action,
        }
    else:
        message = _("%(request)s is “%(status)s”: it cannot be %(action)s now (only when %(allowed)s).") % {
            "request": obj,
            "status": obj.get_status_display(),
            "action": step.action,
            "allowed": _(" or ").join(str(Status(s).label) for s in step.statuses),
        }
    return ValidationError(message, code="invalid_transition")


def refusal(step: Step, obj, *, actor=None, today: datetime.date | None = None, of_actor: bool = True):
    """The first reason the step is not possible for `obj` now (a ValidationError), or None.

    With `of_actor=False`, only the object's state counts (what any permitted person would be refused).
    """
    today = today or deadlines.today()
    for predicate in step.before:
        if (of_actor or not predicate.of_actor) and not predicate.test(obj, actor, today):
            return predicate.refusal(obj)
    if obj.status not in step.statuses:
        return _status_refusal(step, obj)
    for predicate in step.after:
        if (of_actor or not predicate.of_actor) and not predicate.test(obj, actor, today):
            return predicate.refusal(obj)
    return None


def authorize(step: Step, actor) -> None:
    """Refuse (PermissionDenied) whoever lacks the step's permission."""
    if not permitted(step, actor):
        raise PermissionDenied(str(step.permission_message))


def require(step: Step, obj, *, actor, today: datetime.date | None = None) -> None:
    """What a service calls once the row is locked: refuse the step unless the table allows it."""
    authorize(step, actor)
    error = refusal(step, obj, actor=actor, today=today)
    if error is not None:
        raise error


def offered(step: Step, obj, actor) -> bool:
    """Whether the admin shows the step's button: exactly when the service would not refuse it for
    the object's state and this person."""
    return permitted(step, actor) and refusal(step, obj, actor=actor) is None


def request_step(name: str) -> Step:
    return REQUEST_STEPS[name]


def complaint_step(name: str) -> Step:
    return COMPLAINT_STEPS[name]
