"""Objections to processing based on legitimate interests (§38 "iebilst pret datu apstrādi", §12,
GDPR Art. 21(1)): recorded per processing, decided by the DPO, withdrawn by the customer.

While an objection stands (received and undecided, or upheld), the selectors that feed that processing
leave the customer out (`privacy.selectors.objecting_customer_ids`, `legitimate_interest_subjects`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .history import save_with_history
from .models import Customer, LegitimateInterest, Objection

DECIDE = "privacy.decide_objection"


def _lock(objection: Objection) -> Objection:
    Objection.objects.select_for_update().filter(pk=objection.pk).values_list("pk").get()
    objection.refresh_from_db()
    return objection


@transaction.atomic
def objection_record(
    *,
    actor,
    customer: Customer,
    interest: LegitimateInterest | str,
    grounds: str = "",
    request_id: int | None = None,
    request_reference: str = "",
) -> Objection:
    """Record the customer's objection to one processing based on a legitimate interest (§38, §12).

    `interest` is the register's entry or its clause ("12.14"). It stands from now until decided."""
    if isinstance(interest, str):
        found = LegitimateInterest.objects.filter(clause=interest.strip().lstrip("§")).first()
        if found is None:
            raise ValidationError(
                {
                    "interest": _("No legitimate interest §%(clause)s in the register.")
                    % {"clause": interest[:16]}
                }
            )
        interest = found
    if customer.status == Customer.Status.TOMBSTONE:
        raise ValidationError(_("This customer was erased; nothing is processed about them."))
    objection = Objection(
        customer=customer,
        interest=interest,
        grounds=(grounds or "").strip(),
        request_id=request_id,
        request_reference=(request_reference or "")[:100],
    )
    save_with_history(objection, actor=actor, reason=_("objection received (§38)"))
    return objection


@transaction.atomic
def objection_decide(*, actor, objection: Objection, upheld: bool, reason: str = "") -> Objection:
    """The DPO decides (§38, GDPR Art. 21(1)): upheld (the processing stops for the customer), or
    overridden by compelling legitimate grounds that must be stated."""
    if actor is None or not actor.has_perm(DECIDE):
        raise PermissionDenied(_("Deciding an objection needs the permission to decide objections."))
    _lock(objection)
    if objection.status != Objection.Status.PENDING:
        raise ValidationError(
            _("%(objection)s is already decided (“%(status)s”).")
            % {"objection": objection, "status": objection.get_status_display()},
            code="already_decided",
        )
    reason = (reason or "").strip()
    if not upheld and not reason:
        raise ValidationError(
            {"decision_reason": _("Overriding an objection needs the compelling grounds (§38).")}
        )
    objection.status = Objection.Status.UPHELD if upheld else Objection.Status.OVERRIDDEN
    objection.decision_reason = reason
    objection.decided_at = timezone.now()
    objection.decided_by = actor if getattr(actor, "pk", None) else None
    save_with_history(objection, actor=actor, reason=str(objection.get_status_display()))
    return objection


@transaction.atomic
def objection_withdraw(*, actor, objection: Objection) -> Objection:
    """The customer withdraws a standing objection: the processing may resume."""
    _lock(objection)
    if not objection.stands:
        raise ValidationError(_("Only a standing objection can be withdrawn."), code="not_standing")
    objection.status = Objection.Status.WITHDRAWN
    save_with_history(objection, actor=actor, reason=_("objection withdrawn"))
    return objection
