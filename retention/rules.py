"""The retention rules, as the seeding migrations load them (§31–34, §42).

Plain data (no models), so the data migration and the tests load the same rows.
"""

NIGHTLY_HOUR = 2  # 02:00 Europe/Riga
TASK_NAME = "retention.sweep_rule"

RULES = [
    {
        "code": "recordings",
        "clause": "§33",
        "description": (
            "Audio recordings of customer conversations and correspondence about service provision, "
            "maintenance and billing: deleted 6 months after the recording or correspondence date, "
            "with their files and history."
        ),
        "window_months": 6,
        "minimum_months": 6,
        "extended_window_months": None,
        "extended_minimum_months": None,
        "counts_from": "recorded_at",
        "action": "delete",
    },
    {
        "code": "prepaid_customers",
        "clause": "§34",
        "description": (
            "Customers whose only services are prepaid: erased 2 years after the end of their last "
            "service use, unless another basis keeps them (a contract in force, an open debt, an open "
            "request or complaint, a consent, a legal hold)."
        ),
        "window_months": 24,
        "minimum_months": 24,
        "extended_window_months": None,
        "extended_minimum_months": None,
        "counts_from": "last_service_use",
        "action": "erase",
    },
    {
        "code": "invoices",
        "clause": "§31",
        "description": (
            "Invoices: kept 5 years after the invoice date (Accounting Law), then deleted unless a debt "
            "on them is open."
        ),
        "window_months": 60,
        "minimum_months": 60,
        "extended_window_months": None,
        "extended_minimum_months": None,
        "counts_from": "issue_date",
        "action": "delete",
    },
    {
        "code": "audit_history",
        "clause": "§32",
        "description": (
            "Audit records (history rows): deleted 18 months after they were written, this back-office "
            "being a heightened-security system (RETENTION_HEIGHTENED_SECURITY_SYSTEM; 12 months where "
            "it is not, except for high-security records). A deleted record's history stays until then, "
            "without its personal fields."
        ),
        "window_months": 12,
        "minimum_months": 12,
        "extended_window_months": 18,
        "extended_minimum_months": 18,
        "counts_from": "history_date",
        "action": "delete",
    },
    {
        "code": "former_customers",
        "clause": "§31",
        "description": (
            "Customers with no basis left: no contract in force, no invoice inside 5 years, no open "
            "debt, no open request or complaint, no legal hold and no consent that keeps them: erased."
        ),
        "window_months": 60,
        "minimum_months": 60,
        "extended_window_months": None,
        "extended_minimum_months": None,
        "counts_from": "last_basis",
        "action": "erase",
    },
]


RULES.append(
    {
        "code": "data_packages",
        "clause": "§31, §42",
        "description": (
            "Data packages (the ZIP of everything held on a subject, answering an access, copy or "
            "portability request): deleted with their file 1 month after the request was answered, "
            "when the answer has gone out and nothing else is a basis to keep a copy. The request, "
            "its outcome and the answer's date and method stay."
        ),
        "window_months": 1,
        "minimum_months": 0,  # the policy sets no minimum: the package's purpose ends with the answer
        "extended_window_months": None,
        "extended_minimum_months": None,
        "counts_from": "answered_on",
        "action": "delete",
    }
)


RULES.append(
    {
        "code": "security_logs",
        "clause": "§32",
        "description": (
            "Access and security logs (file access log, failed and successful logins, lockouts, the "
            "admin's action log): deleted 18 months after they were written, this back-office being a "
            "heightened-security system (12 months where it is not), unless a legal hold keeps them."
        ),
        "window_months": 12,
        "minimum_months": 12,
        "extended_window_months": 18,
        "extended_minimum_months": 18,
        "counts_from": "logged_at",
        "action": "delete",
    }
)


def periodic_task_name(code: str) -> str:
    return f"retention: {code}"
