"""The staff roles (issue 7): the matrix in privacy/roles.py is what the groups hold, what the README
shows, and it keeps the promises of the issue (agents: no recordings, special categories or erasure;
auditors: read-only everything, no downloads)."""

from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from privacy import roles
from privacy.roles import AGENT, AUDITOR, DPO, RETENTION_OPERATOR, ROLES

README = Path(__file__).resolve().parents[2] / "README.md"

pytestmark = pytest.mark.django_db


def _group_permissions(name: str) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in Group.objects.get(name=name).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_the_migration_created_each_role_group_with_exactly_the_matrix_permissions():
    for role in ROLES:
        assert _group_permissions(role.group) == set(role.permissions), role.group


def test_every_permission_in_the_matrix_exists():
    existing = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }
    for role in ROLES:
        assert set(role.permissions) - existing == set(), role.group
        for label in role.models:
            apps.get_model(label)  # a typo in a model label fails here


def test_sync_is_idempotent_and_undoes_changes_made_by_hand():
    agent = Group.objects.get(name=AGENT.group)
    agent.permissions.add(Permission.objects.get(codename="download_recording"))
    agent.permissions.remove(Permission.objects.get(codename="add_customer"))

    report = roles.sync_roles()
    assert report[AGENT.group]["added"] == ["privacy.add_customer"]
    assert report[AGENT.group]["removed"] == ["privacy.download_recording"]

    again = roles.sync_roles()
    assert all(not changes["added"] and not changes["removed"] for changes in again.values())
    assert _group_permissions(AGENT.group) == set(AGENT.permissions)


def test_sync_refuses_a_permission_that_does_not_exist(monkeypatch):
    broken = roles.Role("broken", "Broken", "", {"privacy.customer": ("fly",)})
    monkeypatch.setattr(roles, "ROLES", (*ROLES, broken))
    with pytest.raises(LookupError, match="privacy.fly"):
        roles.sync_roles()


def test_the_command_syncs_and_prints_the_matrix(capsys):
    Group.objects.get(name=DPO.group).permissions.clear()
    call_command("staff_roles", "--sync")
    assert _group_permissions(DPO.group) == set(DPO.permissions)
    call_command("staff_roles")
    assert roles.MARKER_START in capsys.readouterr().out


def test_agents_get_no_recording_content_no_special_categories_and_no_erasure():
    """The issue's words for the customer-service agent, checked on the data."""
    forbidden = {
        "privacy.download_recording",
        roles.VIEW_SPECIAL_CATEGORIES,
        "requests_app.approve_erasure",
        "requests_app.download_exportpackage",
    }
    assert forbidden & AGENT.permissions == set()
    assert "consents.add_consentevent" in AGENT.permissions
    assert "requests_app.add_subjectrequest" in AGENT.permissions


def test_the_dpo_approves_erasures_and_handles_complaints():
    assert {"requests_app.approve_erasure", "requests_app.handle_complaint"} <= DPO.permissions
    assert {"privacy.add_legalhold", "privacy.change_disclosure"} <= DPO.permissions


def test_the_retention_operator_sees_no_customer_records():
    assert {"retention.change_retentionrule", "retention.run_retentionrule"} <= RETENTION_OPERATOR.permissions
    personal = {entry.label.lower() for entry in _catalogue_entries()}
    seen = set(RETENTION_OPERATOR.models)
    assert seen & personal == {"privacy.legalhold"}  # holds: what a run must respect


def _catalogue_entries():
    from privacy import catalogue

    return catalogue.entries()


def test_the_auditor_is_read_only_on_every_admin_model_and_downloads_nothing():
    """Read-only everything, history included: a model added to the admin must be added to the matrix."""
    for model in admin.site._registry:
        opts = model._meta
        label = f"{opts.app_label}.{opts.model_name}"
        assert f"{opts.app_label}.{get_permission_codename('view', opts)}" in AUDITOR.permissions, label
    for permission in AUDITOR.permissions:
        codename = permission.split(".", 1)[1]
        assert codename.startswith(("view_", "export_consent")), permission
    assert roles.VIEW_SPECIAL_CATEGORIES not in AUDITOR.permissions
    assert "privacy.download_recording" not in AUDITOR.permissions
    assert "requests_app.download_exportpackage" not in AUDITOR.permissions


def test_whoever_may_download_a_data_package_may_see_special_categories():
    """A subject's package holds their special categories (GDPR Art. 15 gives them their own data), so
    only roles that may see special categories may download packages."""
    for role in ROLES:
        if "requests_app.download_exportpackage" in role.permissions:
            assert roles.VIEW_SPECIAL_CATEGORIES in role.permissions, role.group


def test_no_role_may_delete_anything():
    """Deletion has rules (erasure, retention); the stock admin delete skips them."""
    for role in ROLES:
        assert not [p for p in role.permissions if p.split(".", 1)[1].startswith("delete_")], role.group


def test_the_readme_shows_the_matrix_exactly():
    """README.md holds `render_markdown()` between the roles-matrix markers (paste `manage.py
    staff_roles` output there when the matrix changes)."""
    text = README.read_text(encoding="utf-8")
    assert roles.MARKER_START in text and roles.MARKER_END in text, "README.md lacks the roles-matrix markers"
    section = text.split(roles.MARKER_START, 1)[1].split(roles.MARKER_END, 1)[0]
    assert section.strip() == roles.render_markdown().strip()
