"""Rows of the kinds every admin page test needs (tests/security, tests/i18n): a disclosure with two data
categories, an access-log entry, a retention run, and one row of each registered model still empty."""

from __future__ import annotations

import datetime

from django.contrib import admin
from django.utils import timezone

from privacy.models import AccessLog, DataCategory, Disclosure, Recipient
from retention.models import RetentionRule, RetentionRun
from tests.requests_app.factories import generic_create


def disclosure_of(customer, **fields) -> Disclosure:
    """A disclosure of the customer's data categories 1 and 2 (by law today, unless `fields` say else)."""
    fields = {
        "recipient": Recipient.objects.first(),
        "ground": Disclosure.Ground.LAW,
        "disclosed_on": timezone.localdate(),
        **fields,
    }
    disclosure = Disclosure.objects.create(customer=customer, **fields)
    disclosure.data_categories.set(DataCategory.objects.filter(number__in=[1, 2]))
    return disclosure


def access_log_entry() -> AccessLog:
    return AccessLog.objects.create(
        action=AccessLog.Action.DOWNLOAD, object_label="privacy.Recording", object_id="1"
    )


def retention_run() -> RetentionRun:
    rule = RetentionRule.objects.first()
    return RetentionRun.objects.create(
        rule=rule,
        as_of=timezone.localdate(),
        trigger=RetentionRun.Trigger.COMMAND,
        window_months=rule.window_months,
        cutoff=timezone.localdate() - datetime.timedelta(days=200),
    )


def fill_empty_admin_models(apps: set[str] | None = None) -> None:
    """One row of every model the admin registers (of `apps` only, when given) that has none yet."""
    for model in admin.site._registry:
        if apps is not None and model._meta.app_label not in apps:
            continue
        if not model._default_manager.exists():
            generic_create(model)
