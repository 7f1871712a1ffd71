"""Each role against the permission matrix (issue 7, §22): a table-driven test that reads the matrix of
privacy/roles.py, the same data the README shows, and checks what the admin answers.

For every role and every model registered in the admin: the list, the change page and the history
answer 200 with the model's view or change permission and 403 without; the add page 200 only with the
add permission (where the admin allows adding at all); the delete page 403 unless the role may delete;
a view-only role's POST to a change page is refused. Then the custom permissions: import, exports, the
erasure approval, complaints, retention runs and previews, and the two file downloads.
"""

import pytest
from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.test import RequestFactory
from django.urls import reverse

from privacy.models import AccessLog, Recording
from privacy.roles import ROLES, Role
from requests_app.models import Complaint, ExportPackage
from retention.models import RetentionRule
from tests.factories import UserFactory

from .conftest import in_role

pytestmark = pytest.mark.django_db


def _registered():
    return sorted(admin.site._registry.items(), key=lambda pair: pair[0]._meta.label)


def _has(role: Role, model, action: str) -> bool:
    opts = model._meta
    return f"{opts.app_label}.{get_permission_codename(action, opts)}" in role.permissions


def _admin_allows(model_admin, what: str) -> bool:
    """Whether the admin allows `what` ("add", "delete") at all: asked for a superuser."""
    request = RequestFactory().get("/")
    request.user = UserFactory.build(is_superuser=True, is_staff=True, is_active=True)
    return getattr(model_admin, f"has_{what}_permission")(request)


def _url(model, name: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{name}", args=args)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.key)
def test_every_admin_page_answers_as_the_matrix_says(client, one_of_everything, role):
    user = in_role(role.key)
    client.force_login(user)
    mismatches = []

    def check(url: str, expected: int, method: str = "get"):
        status = getattr(client, method)(url).status_code
        if status != expected:
            mismatches.append(f"{method.upper()} {url}: {status}, matrix says {expected}")

    check(reverse("admin:index"), 200)
    for model, model_admin in _registered():
        can_see = _has(role, model, "view") or _has(role, model, "change")
        check(_url(model, "changelist"), 200 if can_see else 403)
        may_add = _has(role, model, "add") and _admin_allows(model_admin, "add")
        check(_url(model, "add"), 200 if may_add else 403)
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"no {model._meta.label} to open"
        check(_url(model, "change", obj.pk), 200 if can_see else 403)
        check(_url(model, "history", obj.pk), 200 if can_see else 403)
        may_delete = _has(role, model, "delete") and _admin_allows(model_admin, "delete")
        check(_url(model, "delete", obj.pk), 200 if may_delete else 403)
        if can_see and not _has(role, model, "change"):
            check(_url(model, "change", obj.pk), 403, method="post")
    assert mismatches == []


def test_a_staff_member_without_a_role_sees_no_model(client, one_of_everything):
    client.force_login(UserFactory(username="nobody"))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.context["app_list"] == []
    for model, _model_admin in _registered():
        assert client.get(_url(model, "changelist")).status_code == 403, model._meta.label


# --- Custom permissions: the table is (what, required permissions, how to ask, what "allowed" looks like)


def _erasure_approval(client, erasure_request, **_):
    url = reverse(
        "admin:requests_app_subjectrequest_transition", args=[erasure_request.pk, "approve-erasure"]
    )
    return client.get(url).status_code


def _request_decision(step):
    """Open a step deciding the (evaluated) erasure request: the DPO's, not intake's."""

    def ask(client, erasure_request, **_):
        url = reverse("admin:requests_app_subjectrequest_transition", args=[erasure_request.pk, step])
        return client.get(url).status_code

    return ask


def _complaint_resolution(client, **_):
    complaint = Complaint.objects.first()
    return client.get(
        reverse("admin:requests_app_complaint_transition", args=[complaint.pk, "resolve"])
    ).status_code


def _consent_import_page(client, **_):
    return client.get(reverse("admin:consents_consentevent_import")).status_code


def _ledger_export(client, **_):
    return client.get(reverse("admin:consents_consentevent_export")).status_code


def _consent_state_export(client, **_):
    return client.get(reverse("admin:consents_consent_export")).status_code


def _audience_export(client, **_):
    from consents.models import ConsentTopic

    topic = ConsentTopic.objects.get(code="marketing_email")
    response = client.post(
        reverse("admin:consents_consenttopic_changelist"),
        {"action": "export_audience", "_selected_action": [topic.pk]},
    )
    if response.status_code == 200 and response.get("Content-Type", "").startswith("text/csv"):
        return 200
    return 403


def _retention_run_now(client, **_):
    from unittest import mock

    rule = RetentionRule.objects.get(code="recordings")
    with mock.patch("retention.admin.sweep_rule.delay_on_commit") as queued:
        client.post(
            reverse("admin:retention_retentionrule_changelist"),
            {"action": "run_now", "_selected_action": [rule.pk], "post": "yes"},
        )
    return 200 if queued.called else 403


def _retention_preview(client, **_):
    rule = RetentionRule.objects.get(code="recordings")
    return client.get(reverse("admin:retention_retentionrule_preview", args=[rule.pk])).status_code


def _recording_download(client, **_):
    recording = Recording.objects.exclude(file="").first()
    return client.get(reverse("privacy:recording-file", args=[recording.pk])).status_code


def _package_download(client, **_):
    package = ExportPackage.objects.first()
    return client.get(reverse("requests_app:package-download", args=[package.pk])).status_code


def _letter_download(client, **_):
    from requests_app.models import Letter

    letter = Letter.objects.first()
    statuses = {
        client.get(reverse("requests_app:letter-file", args=[letter.pk, fmt])).status_code
        for fmt in ("pdf", "html")
    }
    return statuses.pop() if len(statuses) == 1 else 500


DECIDE = {"requests_app.change_subjectrequest", "requests_app.decide_subjectrequest"}
CUSTOM = [
    ("refuse a data-subject request", DECIDE, _request_decision("refuse")),
    ("extend a request's deadline", DECIDE, _request_decision("extend")),
    (
        "approve an erasure",
        {"requests_app.change_subjectrequest", "requests_app.approve_erasure"},
        _erasure_approval,
    ),
    (
        "resolve a complaint",
        {"requests_app.change_complaint", "requests_app.handle_complaint"},
        _complaint_resolution,
    ),
    ("import consents (CSV)", {"consents.import_consentevent"}, _consent_import_page),
    ("export the consent ledger", {"consents.export_consentevent"}, _ledger_export),
    ("export the consent state", {"consents.export_consent"}, _consent_state_export),
    ("export a marketing audience", {"consents.export_marketing_audience"}, _audience_export),
    ("run a retention rule now", {"retention.run_retentionrule"}, _retention_run_now),
    ("preview a retention run", {"retention.view_retentionrule"}, _retention_preview),
    ("download a call recording", {"privacy.download_recording"}, _recording_download),
    ("download a data package", {"requests_app.download_exportpackage"}, _package_download),
    ("open a letter to a customer", {"requests_app.download_letter"}, _letter_download),
]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.key)
def test_custom_permissions_answer_as_the_matrix_says(client, one_of_everything, erasure_request, role):
    client.force_login(in_role(role.key))
    mismatches = []
    for what, needs, ask in CUSTOM:
        allowed = needs <= role.permissions
        status = ask(client, erasure_request=erasure_request)
        if (status == 200) != allowed:
            mismatches.append(f"{what}: {status}, matrix says {'allowed' if allowed else 'refused'}")
    assert mismatches == []


@pytest.mark.parametrize(
    "role", [r for r in ROLES if "privacy.download_recording" not in r.permissions], ids=lambda r: r.key
)
def test_roles_without_the_permission_are_refused_recordings_and_the_refusal_is_logged(
    client, one_of_everything, role
):
    """Annex 1 cat. 26: agents and auditors never get the content of a call; each refusal is logged."""
    user = in_role(role.key)
    client.force_login(user)
    recording = Recording.objects.exclude(file="").first()
    response = client.get(reverse("privacy:recording-file", args=[recording.pk]))
    assert response.status_code == 403
    assert b"RIFF" not in response.content
    log = AccessLog.objects.get(user=user)
    assert (log.action, log.object_label, log.object_id) == (
        "refused",
        "privacy.Recording",
        str(recording.pk),
    )
