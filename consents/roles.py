"""What each staff role may do with the consent models (§46–66, §16–18); privacy/roles.py collects it."""

from privacy.roles import AGENT, AUDITOR, DPO

PERMISSIONS = {
    AGENT.key: {
        "consents.consenttopic": ("view",),
        "consents.consentevent": ("view", "add", "import_consentevent"),
        "consents.consent": ("view",),
        "consents.consentimport": ("view",),
        "consents.importprofile": ("view", "add", "change"),  # how each source's files are read
        "consents.automateddecision": ("view",),
    },
    DPO.key: {
        "consents.consenttopic": ("view", "change", "export_marketing_audience"),
        "consents.consentevent": ("view", "export_consentevent"),
        "consents.consent": ("view", "export_consent"),
        "consents.consentimport": ("view",),
        "consents.importprofile": ("view",),
        "consents.automateddecision": ("view",),
    },
    AUDITOR.key: {
        "consents.consenttopic": ("view",),
        "consents.consentevent": ("view", "export_consentevent"),
        "consents.consent": ("view", "export_consent"),
        "consents.consentimport": ("view",),
        "consents.importprofile": ("view",),
        "consents.automateddecision": ("view",),
    },
}
