"""Pages of rows holding a private file open for everyone who may see them (§22).

Private storage has no public URL (privacy/storage.py); Django's read-only display of a file field
links to that URL and failed with "Private files have no public URL", a 500 on the change page and on
every history version page of a consent import still holding its upload. The models with a private file
are discovered from their FileFields and the storage, not listed by hand: each one's change page and every
history version page of a row holding a file (or, for a model shown only inline, its parent's pages) is
opened by each role whose matrix lets it see the model, and by a superuser.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.core.files.base import ContentFile
from django.db import models
from django.forms.models import _get_foreign_key
from django.test import Client

from consents import services as consent_services
from privacy.roles import ROLES
from tests.factories import UserFactory

from . import admin_targets
from .conftest import in_role

pytestmark = pytest.mark.django_db

CSV = (
    "customer_number,topic,action,channel,occurred_at,source,policy_version\n"
    "{number},marketing_email,given,portal,2024-05-01 10:00,form-1,\n"
)


def _is_private(storage) -> bool:
    try:
        storage.url("probe")
    except ValueError:
        return True
    return False


def private_file_fields() -> list[tuple[type, models.FileField]]:
    """Every (model, file field) whose storage gives no URL; history tables keep only the name."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField) and _is_private(field.storage)
    ]


def test_the_discovery_finds_the_private_files_the_product_keeps():
    found = {f"{model._meta.label}.{field.name}" for model, field in private_file_fields()}
    assert {
        "privacy.Recording.file",
        "consents.ConsentImport.file",
        "requests_app.ExportPackage.file",
        "requests_app.Letter.pdf",
    } <= found


def _may_view(role, model) -> bool:
    opts = model._meta
    return any(
        f"{opts.app_label}.{get_permission_codename(action, opts)}" in role.permissions
        for action in ("view", "change")
    )


def _with_file(model, field):
    """A row of `model` holding a file in `field`, given one (which writes a history version) if none
    does yet."""
    row = model._default_manager.exclude(**{field.name: ""}).order_by("pk").first()
    if row is None:
        row = model._default_manager.order_by("pk").first()
        assert row is not None, f"no {model._meta.label} to give a file"
        getattr(row, field.name).save("probe.bin", ContentFile(b"probe"), save=True)
    return row


def _pages_of(model, row) -> list[tuple[type, str]]:
    """(model whose permission opens it, url): the row's own change page and version pages if its model
    is registered; else those of each registered admin showing it inline, for the row's parent."""
    if model in admin.site._registry:
        owners = [(model, row.pk)]
    else:
        owners = []
        for parent, parent_admin in admin.site._registry.items():
            for inline in parent_admin.inlines:
                if inline.model is model:
                    fk = _get_foreign_key(parent, model, fk_name=inline.fk_name)
                    owners.append((parent, getattr(row, fk.attname)))
    pages = []
    for owner, pk in owners:
        pages.append((owner, admin_targets.url(owner, "change", pk)))
        if hasattr(owner, "history") and admin_targets.url_exists(owner, "simple_history"):
            for history_id in owner.history.filter(**{owner._meta.pk.attname: pk}).values_list(
                "history_id", flat=True
            ):
                pages.append((owner, admin_targets.version_url(owner, pk, history_id)))
    return pages


@pytest.fixture
def import_holding_its_file(one_of_everything):
    """A consent import checked and waiting for confirmation: its upload is still stored."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    uploader = in_role("customer_service", "csv-uploader")
    job = consent_services.consent_import_upload(
        actor=uploader,
        upload=SimpleUploadedFile(
            "portal.csv",
            CSV.format(number=one_of_everything.customer_number).encode(),
            content_type="text/csv",
        ),
    )
    job = consent_services.consent_import_execute(job_id=job.pk, actor=uploader, dry_run=True)
    assert job.file and job.history.count() >= 2
    return job


def test_every_page_of_every_row_with_a_private_file_opens_for_every_role_that_may_see_it(
    import_holding_its_file,
):
    """§22: the change page and each history version page answer 200, and show no link to a file."""
    viewers = {each.key: each for each in ROLES}
    clients = {}
    for key in [*viewers, "superuser"]:
        user = UserFactory(username="files-root", is_superuser=True) if key == "superuser" else in_role(key)
        clients[key] = Client(raise_request_exception=False)
        clients[key].force_login(user)

    opened, failures = 0, []
    for model, field in private_file_fields():
        row = _with_file(model, field)
        stored = getattr(row, field.name).name
        for owner, url in _pages_of(model, row):
            for key, client in clients.items():
                if key != "superuser" and not _may_view(viewers[key], owner):
                    continue
                response = client.get(url)
                opened += 1
                if response.status_code != 200:
                    exc = getattr(response, "exc_info", None)
                    failures.append(f"{key} {url}: {response.status_code} {exc[1] if exc else ''}")
                elif f'href="{stored}' in response.content.decode():
                    failures.append(f"{key} {url}: links to the stored file")
    assert failures == []
    assert opened >= 10, "the pages of the consent import (change page, versions) were opened"
