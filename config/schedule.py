"""Every periodic task of the back-office, in one place (read by settings as PERIODIC_TASKS).

The schedules live in the database as django-celery-beat rows, edited by staff under "Periodic tasks";
`manage.py sync_reference` (also run after every `migrate`) creates the rows missing here and leaves
the existing ones as staff left them. Not CELERY_BEAT_SCHEDULE: the DatabaseScheduler writes that dict
over the database rows every time beat starts, which would silently undo an edit made in the admin.

Each entry: `name` (the row's key), `task`, either `crontab` (minute, hour, Europe/Riga) or `interval`
(every, period), optional `kwargs`, `expire_seconds` (a task not started by then is dropped: the next
run catches up) and `description`. A retention sweep's description is left empty here: the sync gives
it the rule's clause and description (retention/rules.py).
"""

TIMEZONE = "Europe/Riga"
NIGHTLY = 22 * 3600  # a nightly task not started within 22 hours is dropped: the next night catches up

#: §31–34, §42, §32: one nightly sweep per retention rule (retention/rules.py), at 02:00.
RETENTION_RULES = (
    "recordings",
    "prepaid_customers",
    "invoices",
    "audit_history",
    "former_customers",
    "data_packages",
    "evidence_recordings",
    "video",
    "other_subjects",
    "security_logs",
)

PERIODIC_TASKS = [
    *(
        {
            "name": f"retention: {code}",
            "task": "retention.sweep_rule",
            "crontab": {"minute": "0", "hour": "2"},
            "kwargs": {"code": code},
            "expire_seconds": NIGHTLY,
            "description": "",
        }
        for code in RETENTION_RULES
    ),
    {
        "name": "requests: flag deadlines",
        "task": "requests_app.flag_request_deadlines",
        "crontab": {"minute": "30", "hour": "2"},
        "expire_seconds": NIGHTLY,
        "description": "§41: mark requests due within 7 days and overdue ones; email the DPO digest.",
    },
    {
        "name": "consents: discard stale imports",
        "task": "consents.discard_stale_imports",
        "crontab": {"minute": "45", "hour": "2"},
        "expire_seconds": NIGHTLY,
        "description": "Delete uploaded consent files that were checked but never confirmed within a day.",
    },
    {
        "name": "retention: mark interrupted runs",
        "task": "retention.mark_interrupted_runs",
        "interval": {"every": 10, "period": "minutes"},
        "expire_seconds": 9 * 60,
        "description": "Mark retention runs left running by a worker that died as interrupted.",
    },
]
