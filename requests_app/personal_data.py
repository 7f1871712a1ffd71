"""The requests app's entries in the personal-data catalogue (see privacy/catalogue.py).

Requests, rectifications and complaints are the operator's evidence that it handled the subject's rights
(a legal obligation, GDPR Art. 5(2), 12 and 30; §11): erasure keeps them, anonymised. The reference,
type, channel, dates, statuses, outcome and the reasons given stay; the requester's details, what they
wrote, identity-check data and the corrected values go. A data package is a copy of everything held, so
it is deleted with its file.
"""

from django.utils.translation import gettext_lazy as _

from privacy.catalogue import Erasure, register

from .models import Complaint, ExportPackage, Letter, RectificationChange, SubjectRequest

#: §60: an objection to direct marketing is an opt-out of every commercial-notice channel.
ALL_CHANNELS = ["email", "sms", "phone"]


def _objection_opt_outs(customer) -> list[str]:
    from .selectors import customers_with_objection_ids

    return ALL_CHANNELS if customers_with_objection_ids([customer.pk]) else []


register(
    SubjectRequest,
    customer_path="customer",
    fields={
        "requester_name": 1,
        "requester_email": 2,
        "requester_phone": 2,
        "requester_address": 2,
        "details": 21,
        "identity_document_number": 1,
        "identity_mismatch_reason": 1,
        "signature_validation": 1,
        "portal_session_id": 6,
        "answer_recipient_name": 1,
        "answer_recipient_address": 2,
    },
    erasure=Erasure.ANONYMISE,
    notes="Evidence that the rights were handled (legal obligation): kept, anonymised.",
    opt_outs=_objection_opt_outs,
    # §39: what staff wrote about the request (outcome notes, why an identity document differed) and
    # the DPO's list of what an answer withholds stay inside; the answer letter says what the subject
    # is told.
    withheld_fields=("withheld", "outcome_notes", "identity_mismatch_reason"),
    withhold_reason=_(
        "staff's notes on a request and the list of what its answer withholds are internal (§39)"
    ),
)
register(
    RectificationChange,
    customer_path="request__customer",
    fields={"old_value": 1, "new_value": 1},
    erasure=Erasure.ANONYMISE,
    notes="Evidence of the correction: which field and when stay; the values go.",
)
register(
    ExportPackage,
    customer_path="request__customer",
    fields={"file": 1},
    erasure=Erasure.DELETE,
    notes="A copy of everything held on the subject: deleted with its file.",
)
register(
    Complaint,
    customer_path="customer",
    fields={"complainant_name": 1, "complainant_contact": 2, "description": 21},
    erasure=Erasure.ANONYMISE,
    notes="Evidence of the complaint and its escalation (§43–44): kept, anonymised.",
)
register(
    Letter,
    customer_path="request__customer",
    fields={"pdf": 1, "html": 1},
    erasure=Erasure.ANONYMISE,
    notes="Evidence that the subject was written to (§42): kind, dates and sending stay; the files go.",
)
