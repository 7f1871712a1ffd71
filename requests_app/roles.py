"""What each staff role may do with data-subject requests, letters and complaints (§38–44); collected
by privacy/roles.py. Intake is customer service's; decisions and erasure approval are the DPO's."""

from privacy.roles import AGENT, AUDITOR, DPO

_READ = ("view",)

PERMISSIONS = {
    AGENT.key: {
        "requests_app.subjectrequest": ("view", "add", "change"),
        "requests_app.letter": ("view", "add", "change", "download_letter"),  # §42: answers sent out
        "requests_app.complaint": ("view", "add"),
    },
    DPO.key: {
        "requests_app.subjectrequest": ("view", "add", "change", "decide_subjectrequest", "approve_erasure"),
        "requests_app.exportpackage": ("view", "download_exportpackage"),
        "requests_app.rectificationchange": _READ,
        "requests_app.letter": ("view", "add", "change", "download_letter"),
        "requests_app.complaint": ("view", "add", "change", "handle_complaint"),
    },
    AUDITOR.key: dict.fromkeys(
        (
            "requests_app.subjectrequest",
            "requests_app.exportpackage",
            "requests_app.rectificationchange",
            "requests_app.letter",
            "requests_app.complaint",
        ),
        _READ,
    ),
}
