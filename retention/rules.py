"""The retention rules (§31–34, §42), as plain data (no models): retention/reference_data.py creates
the missing ones (`manage.py sync_reference`, run after every `migrate`), and the tests read the same
rows. Their nightly sweeps are declared with every periodic task in config/schedule.py.

The descriptions are stored in English and shown in the staff member's language (`translated`) as long
as nobody has edited them.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

TASK_NAME = "retention.sweep_rule"

#: The three rules whose period the policy does not give: off, with no period, until the DPO sets one.
UNSET_PERIOD = {
    "window_months": None,
    "minimum_months": 0,
    "fixed": False,
    "enabled": False,
    "extended_window_months": None,
    "extended_minimum_months": None,
}

#: Where a rule's period starts, what it covers and what it does not, and what keeps a record longer,
#: are in each description and in the README's retention table. `fixed`: the policy gives the period
#: itself ("6 months ... then deleted", §33), so nobody lengthens it; only a legal hold keeps a record
#: longer. `window_months` None: the policy gives no period, the DPO sets one; until then the rule is
#: off and does nothing (the admin says so).
RULES = [
    {
        "code": "recordings",
        "clause": "§33",
        "description": gettext_noop(
            "Audio recordings of customer conversations and correspondence about service provision, "
            'maintenance and billing (purpose "service"): deleted 6 months after the recording or '
            "correspondence date, with their files and history. A fixed period: only a legal hold keeps "
            "one longer. Not covered: recordings kept as evidence of an oral contract or a consent "
            "(§12.9, rule evidence_recordings) and video (Annex 1 cat. 25, rule video)."
        ),
        "window_months": 6,
        "minimum_months": 6,
        "fixed": True,
        "extended_window_months": None,
        "extended_minimum_months": None,
        "counts_from": "recorded_at",
        "action": "delete",
    },
    {
        "code": "prepaid_customers",
        "clause": "§34",
        "description": gettext_noop(
            "Customers with prepaid services: erased 2 years after the end of the use of their last "
            "prepaid service (the latest of its last use and end date, whatever its status says). An "
            "ended and settled postpaid contract does not exclude them; a postpaid contract in force, an "
            "open debt, an open request or complaint, a consent or a legal hold keeps them."
        ),
        "window_months": 24,
        "minimum_months": 24,
        "fixed": False,
        "extended_window_months": None,
        "extended_minimum_months": None,
        "counts_from": "last_service_use",
        "action": "erase",
    },
    {
        "code": "invoices",
        "clause": "§31.3",
        "description": gettext_noop(
            "Invoices (Accounting Law: at least 5 years): counted conservatively from the end of the "
            "calendar (reporting) year of the invoice date, so an invoice of any day of 2020 is kept "
            "through 31 December 2025; then deleted unless a debt on it is open. The 5 years keep the "
            "invoice only, not the customer's other data."
        ),
        "window_months": 60,
        "minimum_months": 60,
        "fixed": False,
        "extended_window_months": None,
        "extended_minimum_months": None,
        "counts_from": "issue_year_end",
        "action": "delete",
    },
    {
        "code": "audit_history",
        "clause": "§32",
        "description": gettext_noop(
            "Audit records (history rows): deleted 18 months after they were written, this back-office "
            "being a heightened-security system (RETENTION_HEIGHTENED_SECURITY_SYSTEM; 12 months where "
            "it is not, except for high-security records). A deleted record's history stays until then, "
            "without its personal fields."
        ),
        "window_months": 12,
        "minimum_months": 12,
        "fixed": False,
        "extended_window_months": 18,
        "extended_minimum_months": 18,
        "counts_from": "history_date",
        "action": "delete",
    },
    {
        "code": "former_customers",
        "clause": "§31",
        "description": gettext_noop(
            "Subscribers, contact persons, payers and marketing or survey participants (§5.1, §5.4, "
            "§61) with no basis left: erased by the first nightly run after their last basis ended (a "
            "contract's end or last use, the withdrawal of their last consent, registration). Kept while "
            "a contract is in force (theirs or of the customer they act for), a debt is open, a request "
            "or complaint is open, a consent is in force or a legal hold applies. No 5-year period: the "
            "Accounting Law keeps the invoices (rule invoices), not the person. Customers with prepaid "
            "services are §34's."
        ),
        "window_months": 0,
        "minimum_months": 0,
        "fixed": False,
        "extended_window_months": None,
        "extended_minimum_months": None,
        "counts_from": "last_basis",
        "action": "erase",
    },
    {
        "code": "data_packages",
        "clause": "§31, §42",
        "description": gettext_noop(
            "Data packages (the ZIP of everything held on a subject, answering an access, copy or "
            "portability request): deleted with their file 1 month after the request was answered, "
            "when the answer has gone out and nothing else is a basis to keep a copy. The request, "
            "its outcome and the answer's date and method stay."
        ),
        "window_months": 1,
        "minimum_months": 0,  # the policy sets no minimum: the package's purpose ends with the answer
        "fixed": False,
        "extended_window_months": None,
        "extended_minimum_months": None,
        "counts_from": "answered_on",
        "action": "delete",
    },
    {
        "code": "evidence_recordings",
        "clause": "§12.9, §31",
        "description": gettext_noop(
            "Recordings kept as evidence that a contract was concluded orally or that a consent was "
            "given (§12.9): kept while that contract (or any consent of the customer) is in force and "
            "then while claims can be pursued (§31.1–31.2), counted from the contract's end or the "
            "withdrawal of the last consent; then deleted. The policy names no claims period: the DPO "
            "sets it; until then this rule is off and such recordings are kept."
        ),
        **UNSET_PERIOD,
        "counts_from": "basis_end",
        "action": "delete",
    },
    {
        "code": "video",
        "clause": "Annex 1 cat. 25",
        "description": gettext_noop(
            "Video of customer events and CCTV of the operator's premises (Annex 1 cat. 25): not §33. "
            "The policy gives no period: the DPO sets it, counted from the recording date; until then "
            "this rule is off and video is kept."
        ),
        **UNSET_PERIOD,
        "counts_from": "recorded_at",
        "action": "delete",
    },
    {
        "code": "other_subjects",
        "clause": "§31, §5",
        "description": gettext_noop(
            "Visitors of premises, website and app users and callers, and owners of property carrying "
            "the network (§5.2, §5.3, §5.5): erased when their window after registration has passed "
            "and no basis keeps them; a property owner is kept while marked current (the network is on "
            "their property, §9.6). The policy gives no period: the DPO sets it; until then this rule "
            "is off and they are kept."
        ),
        **UNSET_PERIOD,
        "counts_from": "registered_at",
        "action": "erase",
    },
    {
        "code": "security_logs",
        "clause": "§32",
        "description": gettext_noop(
            "Access and security logs (file access log, failed and successful logins, lockouts, the "
            "admin's action log): deleted 18 months after they were written, this back-office being a "
            "heightened-security system (12 months where it is not), unless a legal hold keeps them."
        ),
        "window_months": 12,
        "minimum_months": 12,
        "fixed": False,
        "extended_window_months": 18,
        "extended_minimum_months": 18,
        "counts_from": "logged_at",
        "action": "delete",
    },
]

#: §5: which rule erases each kind of data subject (a test checks that no kind is left out). Their
#: recordings, invoices and audit records follow the record rules whatever the kind.
SUBJECT_KINDS = {
    "former_customers": ("subscriber", "contact_person", "payer", "marketing_participant"),
    "other_subjects": ("visitor", "online_user", "property_owner"),
}

#: The clause each rule enforces, in the admin's language (lv: the policy's own words).
POLICY_WORDS = {
    "recordings": _(
        "§33: Audio recordings of conversations with the customer or correspondence about service "
        "provision, maintenance and billing, based on the operator's legitimate interests, are kept for 6 "
        "months after the date of recording the conversation or of the correspondence, and are then deleted."
    ),
    "prepaid_customers": _(
        "§34: Data of prepaid-service customers is kept for 2 years after the end of service use."
    ),
    "invoices": _(
        "§31.3: while either party has a legal duty to keep the data (for example, under the Accounting "
        "Law invoices issued to the company must be kept for at least 5 years, etc.)."
    ),
    "audit_history": _(
        "§32: Audit records are kept for at least one year from the day they were made, as the law "
        "requires. Audit records from information systems of heightened security are kept for at least "
        "18 (eighteen) months."
    ),
    "former_customers": _(
        "§31: while the customer's consent to keeping the data is in force (only where there is no other "
        "legal basis for keeping the personal data, for example when a potential customer's data was "
        "obtained in marketing activities). Once none of the legal bases for processing remains, the "
        "customer's personal data is deleted."
    ),
    "data_packages": _(
        "§31: Once none of the legal bases for processing remains, the customer's personal data is deleted."
    ),
    "evidence_recordings": _(
        "§12.9: to secure evidence of the fact and content of an orally concluded contract, of a claim "
        "made by the customer and of the fact and content of a consent, including by recording and "
        "keeping conversations with the customer; §31.1–31.2: while the contract concluded with the "
        "customer is in force; while the operator or the customer can exercise their legitimate "
        "interests in the manner set by external laws."
    ),
    "video": _(
        "Annex 1, category 25: Video data: video from customer events, video surveillance at the "
        "operator's sites, recording date. The policy sets no period for it."
    ),
    "other_subjects": _(
        "§5: The privacy policy applies to natural persons: 2. visitors of the operator's offices and "
        "other premises; 3. visitors of its websites and social-network profiles, mobile-app users and "
        "callers to its contact centre; 5. owners of real estate where the operator's electronic "
        "communications network and engineering utilities are located."
    ),
}


def periodic_task_name(code: str) -> str:
    """The name of the rule's nightly sweep in config/schedule.py (a test checks they agree)."""
    return f"retention: {code}"


def translated(description: str) -> str:
    """A rule's description in the active language: the translation of the text seeded here, or the
    text as staff edited it."""
    from django.utils.translation import gettext

    return gettext(description) if description in _DESCRIPTIONS else description


_DESCRIPTIONS = frozenset(row["description"] for row in RULES)
