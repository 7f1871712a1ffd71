"""Staff read the roles' group names and the retention rules' descriptions in their language (§22,
§31–34): the stored names and texts stay English, the admin shows their Latvian or Russian translation,
and a text staff edited is shown as they wrote it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from privacy import roles
from retention.models import RetentionRule
from tests.factories import UserFactory
from tests.security.conftest import in_role

pytestmark = pytest.mark.django_db

GROUPS = {
    "lv": {
        roles.AGENT.group: "Klientu apkalpošanas speciālists",
        roles.DPO.group: "Datu aizsardzības speciālists (DAS)",
        roles.RETENTION_OPERATOR.group: "Glabāšanas operators",
        roles.AUDITOR.group: "Auditors",
    },
    "ru": {
        roles.AGENT.group: "Специалист по обслуживанию клиентов",
        roles.DPO.group: "Специалист по защите данных (DPO)",
        roles.RETENTION_OPERATOR.group: "Оператор хранения данных",
        roles.AUDITOR.group: "Аудитор",
    },
}
#: §33 in the rule's description, in each language.
RECORDINGS = {
    "lv": "Klientu sarunu audioieraksti un sarakste par pakalpojumu sniegšanu",
    "ru": "Аудиозаписи разговоров с клиентами и переписка",
}


@pytest.mark.parametrize("language", ["lv", "ru"])
def test_the_groups_list_names_each_role_in_the_staff_members_language(client, staff_in, language):
    Group.objects.create(name="Night shift")  # a group that is no role keeps its name
    client.force_login(staff_in(language))
    page = client.get(reverse("admin:auth_group_changelist")).content.decode()
    for group, name in GROUPS[language].items():
        assert name in page, group
        assert f">{group}<" not in page
    assert "Night shift" in page
    assert Group.objects.filter(name=roles.AGENT.group).exists()  # the stored name stays English


@pytest.mark.parametrize("language", ["lv", "ru"])
def test_a_staff_members_page_offers_the_roles_in_the_staff_members_language(client, staff_in, language):
    colleague = UserFactory(username="colleague")
    colleague.groups.add(Group.objects.get(name=roles.DPO.group))
    client.force_login(staff_in(language))
    page = client.get(reverse("admin:privacy_user_change", args=[colleague.pk])).content.decode()
    for group, name in GROUPS[language].items():
        assert name in page, group
    assert f">{roles.RETENTION_OPERATOR.group}<" not in page


@pytest.mark.parametrize("language", ["lv", "ru"])
def test_the_auditor_reads_a_staff_members_roles_and_filters_the_staff_list_in_their_language(
    client, language
):
    colleague = UserFactory(username="colleague")
    colleague.groups.add(Group.objects.get(name=roles.RETENTION_OPERATOR.group))
    auditor = in_role(roles.AUDITOR.key)
    auditor.language = language
    auditor.save()
    client.force_login(auditor)
    page = client.get(reverse("admin:privacy_user_change", args=[colleague.pk])).content.decode()
    assert GROUPS[language][roles.RETENTION_OPERATOR.group] in page
    assert roles.RETENTION_OPERATOR.group not in page
    listing = client.get(reverse("admin:privacy_user_changelist")).content.decode()
    for name in GROUPS[language].values():
        assert name in listing


@pytest.mark.parametrize("language", ["lv", "ru"])
def test_a_rules_description_is_shown_translated_until_staff_edit_it(client, language):
    """The DPO (view only) and the retention operator (who may edit the stored text) both read it in
    their language; once edited, the rule says what staff wrote, in every language."""
    rule = RetentionRule.objects.get(code="recordings")
    url = reverse("admin:retention_retentionrule_change", args=[rule.pk])
    for role in (roles.DPO, roles.RETENTION_OPERATOR):
        user = in_role(role.key)
        user.language = language
        user.save()
        client.force_login(user)
        page = client.get(url).content.decode()
        assert RECORDINGS[language] in page, role.key
        preview = client.get(reverse("admin:retention_retentionrule_preview", args=[rule.pk]))
        assert RECORDINGS[language] in preview.content.decode(), role.key

    RetentionRule.objects.filter(pk=rule.pk).update(description="Mūsu formulējums — §33, 6 mēneši.")
    page = client.get(url).content.decode()
    assert "Mūsu formulējums — §33, 6 mēneši." in page
    assert RECORDINGS[language] not in page


def test_the_retention_operator_edits_the_stored_text_and_the_dpo_cannot(client):
    """A forged POST by the view-only DPO changes nothing; the operator's edit is stored as written."""
    rule = RetentionRule.objects.get(code="invoices")
    url = reverse("admin:retention_retentionrule_change", args=[rule.pk])
    client.force_login(in_role(roles.DPO.key))
    data = {"description": "x" * 5000, "window_months": 60, "enabled": "on"}
    assert client.post(url, data).status_code == 403
    rule.refresh_from_db()
    assert rule.description.startswith("Invoices (Accounting Law")

    client.force_login(in_role(roles.RETENTION_OPERATOR.key))
    assert 'name="description"' in client.get(url).content.decode()
    response = client.post(url, {**data, "description": "Rēķini: 7 gadi.\u0301"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.description == "Rēķini: 7 gadi.\u0301"
