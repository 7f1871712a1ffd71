"""The requests app in the admin: the requests queue (requests.py), complaints (complaints.py), the
letters on a request (letters.py), and the shared machinery of a workflow's buttons (steps.py)."""

from .complaints import COMPLAINT_TRANSITIONS, ComplaintAdmin
from .erasure import erasure_rows
from .requests import REQUEST_TRANSITIONS, SubjectRequestAdmin

__all__ = [
    "COMPLAINT_TRANSITIONS",
    "REQUEST_TRANSITIONS",
    "ComplaintAdmin",
    "SubjectRequestAdmin",
    "erasure_rows",
]
