"""What each staff role may do with retention rules and runs (§31–34); collected by privacy/roles.py."""

from privacy.roles import AUDITOR, DPO, RETENTION_OPERATOR

PERMISSIONS = {
    DPO.key: {"retention.retentionrule": ("view",), "retention.retentionrun": ("view",)},
    RETENTION_OPERATOR.key: {
        "retention.retentionrule": ("view", "change", "run_retentionrule"),
        "retention.retentionrun": ("view",),
    },
    AUDITOR.key: {"retention.retentionrule": ("view",), "retention.retentionrun": ("view",)},
}
