"""Writes for data-subject requests (§38–42) and complaints (§43–44).

Every step is one transaction, takes the acting staff member (`actor`), re-reads the request under a
row lock, refuses what the table of steps (requests_app/workflow.py) does not allow with a
ValidationError that says why, and leaves one history row naming the step. The admin, the tasks and the
commands call these; nothing else writes a request's status.

    received -> identity verified -> in evaluation -> fulfilled / partly fulfilled / refused -> answered

One module per responsibility: intake, identity, the deciding steps (transitions), carrying a request out
(fulfilment), erasure, the deadline flags, the DPO's digest, complaints. Callers import from here.
"""

from ..workflow import DECIDE, is_second_person
from .base import CUSTOMER_FLAG
from .complaints import (
    complaint_assign,
    complaint_escalate,
    complaint_intake_errors,
    complaint_record_authority_decision,
    complaint_record_authority_reply,
    complaint_register,
    complaint_resolve,
)
from .deadline_flags import deadline_flag_for, requests_flag_deadlines
from .digest import dpo_digest_send
from .erasure import erasure_preview, request_approve_erasure
from .fulfilment import RECTIFIABLE_FIELDS, request_build_package, request_fulfil, request_rectify
from .identity import request_verify_identity, same_document_number
from .intake import INTAKE_TEXT_FIELDS, request_intake_errors, request_register
from .transitions import (
    request_answer,
    request_extend,
    request_record_objection,
    request_refuse,
    request_start_evaluation,
)

__all__ = [
    "CUSTOMER_FLAG",
    "DECIDE",
    "INTAKE_TEXT_FIELDS",
    "RECTIFIABLE_FIELDS",
    "complaint_assign",
    "complaint_escalate",
    "complaint_intake_errors",
    "complaint_record_authority_decision",
    "complaint_record_authority_reply",
    "complaint_register",
    "complaint_resolve",
    "deadline_flag_for",
    "dpo_digest_send",
    "erasure_preview",
    "is_second_person",
    "request_answer",
    "request_approve_erasure",
    "request_build_package",
    "request_extend",
    "request_fulfil",
    "request_intake_errors",
    "request_rectify",
    "request_record_objection",
    "request_refuse",
    "request_register",
    "request_start_evaluation",
    "request_verify_identity",
    "requests_flag_deadlines",
    "same_document_number",
]
