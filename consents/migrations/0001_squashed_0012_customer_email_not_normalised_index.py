"""The consent ledger, topics, imports and import profiles: consents 0001–0012 in one.

On a new database Django applies this migration instead of the 16 it replaces (`replaces`): the same
tables, indexes and constraints, and the import's match keys, as those give, in one step (a test
database migrates in about 60 % of the time). A database that applied the old ones records this one as
applied and runs nothing; the old files stay until every database has passed them. Their data steps only
change rows an existing database has: on a new one the sync after migrate (privacy/sync.py) creates the
rows as the code has them.
"""

import consents.models
import django.db.models.deletion
import django.utils.timezone
import privacy.history
import simple_history.models
from django.conf import settings
from django.db import migrations, models

#: PostgreSQL only: the keys a consent import matches a million rows on by one join (0006;
#: consents/importer/postgres.py KEY_EXPRESSIONS uses the same expressions), and the partial index and
#: statistics of the e-mails not stored in the compared form (0012).
POSTGRESQL = r"""
CREATE OR REPLACE FUNCTION consent_phone_key(phone text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN length(d) = 8 THEN '371' || d ELSE d END
    FROM (SELECT CASE WHEN digits LIKE '00%' THEN substr(digits, 3) ELSE digits END AS d
          FROM (SELECT regexp_replace(coalesce(phone, ''), '\D', '', 'g') AS digits) a) b
$$;
CREATE INDEX IF NOT EXISTS customer_email_key ON privacy_customer ((lower(btrim(email))));
CREATE INDEX IF NOT EXISTS customer_phone_key ON privacy_customer ((consent_phone_key(phone)));
CREATE INDEX IF NOT EXISTS customer_personal_code_key ON privacy_customer ((replace(btrim(personal_code), '-', '')));
CREATE INDEX IF NOT EXISTS customer_portal_user_key ON privacy_customer ((btrim(portal_user_number)));
CREATE INDEX IF NOT EXISTS customer_email_not_normalised ON privacy_customer ((lower(btrim(email))))
    WHERE (email <> lower(btrim(email))) IS TRUE;
CREATE STATISTICS IF NOT EXISTS customer_email_not_normalised_stats
    ON (email <> lower(btrim(email))) FROM privacy_customer;
"""

POSTGRESQL_BACKWARD = """
DROP STATISTICS IF EXISTS customer_email_not_normalised_stats;
DROP INDEX IF EXISTS customer_email_not_normalised;
DROP INDEX IF EXISTS customer_email_key;
DROP INDEX IF EXISTS customer_phone_key;
DROP INDEX IF EXISTS customer_personal_code_key;
DROP INDEX IF EXISTS customer_portal_user_key;
DROP FUNCTION IF EXISTS consent_phone_key(text);
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, None)

    return run


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("consents", "0001_ledger_state_imports"),
        ("consents", "0002_consent_topics"),
        ("consents", "0003_nightly_discard_schedule"),
        ("consents", "0004_bulk_history_indexes"),
        ("consents", "0005_import_heartbeat"),
        ("consents", "0005_import_profiles"),
        ("consents", "0005_partner_offers_are_commercial_notices"),
        ("consents", "0006_import_profile_data_and_key_indexes"),
        ("consents", "0006_merge_20261203_1222"),
        ("consents", "0006_topic_asked_through_and_needs_consent"),
        ("consents", "0007_cookie_topics"),
        ("consents", "0008_automated_decisions"),
        ("consents", "0009_roles_objections_automated_decisions"),
        ("consents", "0010_merge_20261203_1257"),
        ("consents", "0011_merge_20261203_1308"),
        ("consents", "0012_customer_email_not_normalised_index"),
    ]

    dependencies = [
        ("privacy", "0001_squashed_0014_customer_search_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AutomatedDecision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("decided_at", models.DateTimeField(verbose_name="decided at")),
                (
                    "system",
                    models.CharField(
                        help_text="The system that decided (its code).", max_length=64, verbose_name="system"
                    ),
                ),
                ("logic_version", models.CharField(max_length=64, verbose_name="logic and version")),
                (
                    "matter",
                    models.CharField(
                        help_text="e.g. a service application",
                        max_length=200,
                        verbose_name="what was decided",
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("approved", "approved"),
                            ("refused", "refused"),
                            ("conditional", "approved with conditions"),
                        ],
                        max_length=16,
                        verbose_name="outcome",
                    ),
                ),
                (
                    "ground",
                    models.CharField(
                        choices=[
                            ("contract_consent", "contract and the customer's explicit consent (§17)"),
                            ("law", "a provision of law (§17)"),
                        ],
                        max_length=16,
                        verbose_name="ground",
                    ),
                ),
                (
                    "contract_reference",
                    models.CharField(blank=True, max_length=64, verbose_name="contract or application"),
                ),
                (
                    "consent_event_id",
                    models.BigIntegerField(
                        blank=True, null=True, verbose_name="explicit consent relied on (event id)"
                    ),
                ),
                (
                    "consent_given_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="explicit consent given at"),
                ),
                (
                    "legal_provision",
                    models.CharField(blank=True, max_length=200, verbose_name="provision of law"),
                ),
                (
                    "reference",
                    models.CharField(
                        help_text="Unique per system: recording twice is harmless.",
                        max_length=64,
                        verbose_name="reference in the system",
                    ),
                ),
                (
                    "human_review_requested_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="GDPR Art. 22(3): the customer may ask for a person to review the decision.",
                        null=True,
                        verbose_name="human review requested at",
                    ),
                ),
                (
                    "human_review_outcome",
                    models.TextField(blank=True, verbose_name="outcome of the human review"),
                ),
                (
                    "recorded_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="recorded at"),
                ),
                ("source", models.CharField(blank=True, max_length=255, verbose_name="source")),
            ],
            options={
                "verbose_name": "automated decision",
                "verbose_name_plural": "automated decisions",
                "ordering": ["-decided_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="Consent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("given", "given"), ("withdrawn", "withdrawn")],
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
                (
                    "occurred_at",
                    models.DateTimeField(
                        help_text="When the deciding event occurred.", verbose_name="decided at"
                    ),
                ),
                (
                    "channel",
                    models.CharField(
                        choices=[
                            ("portal", "self-service portal (Mans Balticom)"),
                            ("application_form", "service application form"),
                            ("banner", "banner"),
                            ("app", "mobile app"),
                            ("phone", "phone (customer service)"),
                            ("email", "email"),
                            ("in_person", "in person"),
                            ("import", "bulk import"),
                            ("other", "other"),
                        ],
                        max_length=16,
                        verbose_name="channel",
                    ),
                ),
                ("source", models.CharField(blank=True, max_length=255, verbose_name="source")),
                (
                    "updated_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="updated at"),
                ),
            ],
            options={
                "verbose_name": "consent",
                "verbose_name_plural": "consents (current state)",
                "ordering": ["-id"],
                "permissions": [("export_consent", "Can export consents")],
                "default_permissions": ("view",),
            },
        ),
        migrations.CreateModel(
            name="ConsentEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "action",
                    models.CharField(
                        choices=[("given", "given"), ("withdrawn", "withdrawn")],
                        max_length=16,
                        verbose_name="action",
                    ),
                ),
                (
                    "channel",
                    models.CharField(
                        choices=[
                            ("portal", "self-service portal (Mans Balticom)"),
                            ("application_form", "service application form"),
                            ("banner", "banner"),
                            ("app", "mobile app"),
                            ("phone", "phone (customer service)"),
                            ("email", "email"),
                            ("in_person", "in person"),
                            ("import", "bulk import"),
                            ("other", "other"),
                        ],
                        max_length=16,
                        verbose_name="channel",
                    ),
                ),
                (
                    "occurred_at",
                    models.DateTimeField(help_text="When the customer said it.", verbose_name="occurred at"),
                ),
                (
                    "recorded_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now,
                        help_text="When we processed it.",
                        verbose_name="recorded at",
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        blank=True,
                        help_text="File name and line, call id, form id, …",
                        max_length=255,
                        verbose_name="source",
                    ),
                ),
            ],
            options={
                "verbose_name": "consent event",
                "verbose_name_plural": "consent ledger",
                "ordering": ["-id"],
                "permissions": [
                    ("import_consentevent", "Can import consent events from CSV"),
                    ("export_consentevent", "Can export the consent ledger"),
                ],
                "default_permissions": ("add", "view"),
            },
        ),
        migrations.CreateModel(
            name="ConsentImport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        blank=True,
                        max_length=255,
                        upload_to=consents.models.consent_import_upload_to,
                        verbose_name="file",
                    ),
                ),
                ("original_name", models.CharField(max_length=255, verbose_name="file name")),
                ("size", models.PositiveBigIntegerField(default=0, verbose_name="size (bytes)")),
                ("lines", models.PositiveIntegerField(default=0, verbose_name="lines")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="uploaded at"),
                ),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished at")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "queued for checking"),
                            ("checking", "checking"),
                            ("invalid", "has errors: nothing applied"),
                            ("ready", "checked: waiting for confirmation"),
                            ("apply_queued", "queued for import"),
                            ("applying", "importing"),
                            ("applied", "imported"),
                            ("failed", "failed"),
                        ],
                        default="queued",
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
                ("result", models.JSONField(blank=True, default=dict, verbose_name="result")),
                (
                    "heartbeat_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="Set when the job is queued or started and, while it runs, by its worker every few seconds.",
                        null=True,
                        verbose_name="last sign of life",
                    ),
                ),
            ],
            options={
                "verbose_name": "consent import",
                "verbose_name_plural": "consent imports",
                "ordering": ["-created_at", "-id"],
                "default_permissions": ("view",),
            },
        ),
        migrations.CreateModel(
            name="ConsentTopic",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name_lv", models.TextField(verbose_name="name (Latvian)")),
                ("name_en", models.TextField(verbose_name="name (English)")),
                ("name_ru", models.TextField(blank=True, verbose_name="name (Russian)")),
                ("code", models.SlugField(max_length=32, unique=True, verbose_name="code")),
                ("clause", models.CharField(blank=True, max_length=32, verbose_name="clause")),
                (
                    "commercial_notice",
                    models.BooleanField(
                        default=False,
                        help_text="Commercial notices of the operator or of its partners (§56–60): opt-outs must be honoured within 2 days and outlive an erasure in the suppression list.",
                        verbose_name="commercial notice",
                    ),
                ),
                (
                    "channel",
                    models.CharField(
                        blank=True,
                        choices=[("email", "email"), ("sms", "SMS"), ("phone", "phone call")],
                        help_text="For commercial notices: the contact channel the topic covers; empty for every channel (partners' offers).",
                        max_length=8,
                        verbose_name="contact channel",
                    ),
                ),
                (
                    "asked_through",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("portal", "self-service portal (Mans Balticom)"),
                            ("application_form", "service application form"),
                            ("banner", "banner"),
                            ("app", "mobile app"),
                            ("phone", "phone (customer service)"),
                            ("email", "email"),
                            ("in_person", "in person"),
                            ("import", "bulk import"),
                            ("other", "other"),
                        ],
                        help_text="Where the customer is asked (the cookie categories: the website banner, §62).",
                        max_length=16,
                        verbose_name="asked through",
                    ),
                ),
                (
                    "needs_consent",
                    models.BooleanField(
                        default=True,
                        help_text="Off for what works without consent (necessary cookies, §62): no consent decision is recorded for such a topic.",
                        verbose_name="needs consent",
                    ),
                ),
            ],
            options={
                "verbose_name": "consent topic",
                "verbose_name_plural": "consent topics",
                "ordering": ["code"],
                "permissions": [("export_marketing_audience", "Can export the commercial-notice audience")],
            },
        ),
        migrations.CreateModel(
            name="HistoricalAutomatedDecision",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("decided_at", models.DateTimeField(verbose_name="decided at")),
                (
                    "system",
                    models.CharField(
                        help_text="The system that decided (its code).", max_length=64, verbose_name="system"
                    ),
                ),
                ("logic_version", models.CharField(max_length=64, verbose_name="logic and version")),
                (
                    "matter",
                    models.CharField(
                        help_text="e.g. a service application",
                        max_length=200,
                        verbose_name="what was decided",
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("approved", "approved"),
                            ("refused", "refused"),
                            ("conditional", "approved with conditions"),
                        ],
                        max_length=16,
                        verbose_name="outcome",
                    ),
                ),
                (
                    "ground",
                    models.CharField(
                        choices=[
                            ("contract_consent", "contract and the customer's explicit consent (§17)"),
                            ("law", "a provision of law (§17)"),
                        ],
                        max_length=16,
                        verbose_name="ground",
                    ),
                ),
                (
                    "contract_reference",
                    models.CharField(blank=True, max_length=64, verbose_name="contract or application"),
                ),
                (
                    "consent_event_id",
                    models.BigIntegerField(
                        blank=True, null=True, verbose_name="explicit consent relied on (event id)"
                    ),
                ),
                (
                    "consent_given_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="explicit consent given at"),
                ),
                (
                    "legal_provision",
                    models.CharField(blank=True, max_length=200, verbose_name="provision of law"),
                ),
                (
                    "reference",
                    models.CharField(
                        help_text="Unique per system: recording twice is harmless.",
                        max_length=64,
                        verbose_name="reference in the system",
                    ),
                ),
                (
                    "human_review_requested_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="GDPR Art. 22(3): the customer may ask for a person to review the decision.",
                        null=True,
                        verbose_name="human review requested at",
                    ),
                ),
                (
                    "human_review_outcome",
                    models.TextField(blank=True, verbose_name="outcome of the human review"),
                ),
                (
                    "recorded_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="recorded at"),
                ),
                ("source", models.CharField(blank=True, max_length=255, verbose_name="source")),
                ("history_id", models.BigAutoField(editable=False, primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical automated decision",
                "verbose_name_plural": "historical automated decisions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalConsent",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("given", "given"), ("withdrawn", "withdrawn")],
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
                (
                    "occurred_at",
                    models.DateTimeField(
                        help_text="When the deciding event occurred.", verbose_name="decided at"
                    ),
                ),
                (
                    "channel",
                    models.CharField(
                        choices=[
                            ("portal", "self-service portal (Mans Balticom)"),
                            ("application_form", "service application form"),
                            ("banner", "banner"),
                            ("app", "mobile app"),
                            ("phone", "phone (customer service)"),
                            ("email", "email"),
                            ("in_person", "in person"),
                            ("import", "bulk import"),
                            ("other", "other"),
                        ],
                        max_length=16,
                        verbose_name="channel",
                    ),
                ),
                ("source", models.CharField(blank=True, max_length=255, verbose_name="source")),
                (
                    "updated_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="updated at"),
                ),
                ("history_id", models.BigAutoField(editable=False, primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField()),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical consent",
                "verbose_name_plural": "historical consents (current state)",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalConsentEvent",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, verbose_name="ID")),
                (
                    "action",
                    models.CharField(
                        choices=[("given", "given"), ("withdrawn", "withdrawn")],
                        max_length=16,
                        verbose_name="action",
                    ),
                ),
                (
                    "channel",
                    models.CharField(
                        choices=[
                            ("portal", "self-service portal (Mans Balticom)"),
                            ("application_form", "service application form"),
                            ("banner", "banner"),
                            ("app", "mobile app"),
                            ("phone", "phone (customer service)"),
                            ("email", "email"),
                            ("in_person", "in person"),
                            ("import", "bulk import"),
                            ("other", "other"),
                        ],
                        max_length=16,
                        verbose_name="channel",
                    ),
                ),
                (
                    "occurred_at",
                    models.DateTimeField(help_text="When the customer said it.", verbose_name="occurred at"),
                ),
                (
                    "recorded_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now,
                        help_text="When we processed it.",
                        verbose_name="recorded at",
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        blank=True,
                        help_text="File name and line, call id, form id, …",
                        max_length=255,
                        verbose_name="source",
                    ),
                ),
                ("history_id", models.BigAutoField(editable=False, primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField()),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical consent event",
                "verbose_name_plural": "historical consent ledger",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalConsentImport",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("file", models.TextField(blank=True, max_length=255, verbose_name="file")),
                ("original_name", models.CharField(max_length=255, verbose_name="file name")),
                ("size", models.PositiveBigIntegerField(default=0, verbose_name="size (bytes)")),
                ("lines", models.PositiveIntegerField(default=0, verbose_name="lines")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="uploaded at"),
                ),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished at")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "queued for checking"),
                            ("checking", "checking"),
                            ("invalid", "has errors: nothing applied"),
                            ("ready", "checked: waiting for confirmation"),
                            ("apply_queued", "queued for import"),
                            ("applying", "importing"),
                            ("applied", "imported"),
                            ("failed", "failed"),
                        ],
                        default="queued",
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
                ("result", models.JSONField(blank=True, default=dict, verbose_name="result")),
                (
                    "heartbeat_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="Set when the job is queued or started and, while it runs, by its worker every few seconds.",
                        null=True,
                        verbose_name="last sign of life",
                    ),
                ),
                ("history_id", models.BigAutoField(editable=False, primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical consent import",
                "verbose_name_plural": "historical consent imports",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalConsentTopic",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("name_lv", models.TextField(verbose_name="name (Latvian)")),
                ("name_en", models.TextField(verbose_name="name (English)")),
                ("name_ru", models.TextField(blank=True, verbose_name="name (Russian)")),
                ("code", models.SlugField(max_length=32, verbose_name="code")),
                ("clause", models.CharField(blank=True, max_length=32, verbose_name="clause")),
                (
                    "commercial_notice",
                    models.BooleanField(
                        default=False,
                        help_text="Commercial notices of the operator or of its partners (§56–60): opt-outs must be honoured within 2 days and outlive an erasure in the suppression list.",
                        verbose_name="commercial notice",
                    ),
                ),
                (
                    "channel",
                    models.CharField(
                        blank=True,
                        choices=[("email", "email"), ("sms", "SMS"), ("phone", "phone call")],
                        help_text="For commercial notices: the contact channel the topic covers; empty for every channel (partners' offers).",
                        max_length=8,
                        verbose_name="contact channel",
                    ),
                ),
                (
                    "asked_through",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("portal", "self-service portal (Mans Balticom)"),
                            ("application_form", "service application form"),
                            ("banner", "banner"),
                            ("app", "mobile app"),
                            ("phone", "phone (customer service)"),
                            ("email", "email"),
                            ("in_person", "in person"),
                            ("import", "bulk import"),
                            ("other", "other"),
                        ],
                        help_text="Where the customer is asked (the cookie categories: the website banner, §62).",
                        max_length=16,
                        verbose_name="asked through",
                    ),
                ),
                (
                    "needs_consent",
                    models.BooleanField(
                        default=True,
                        help_text="Off for what works without consent (necessary cookies, §62): no consent decision is recorded for such a topic.",
                        verbose_name="needs consent",
                    ),
                ),
                ("history_id", models.BigAutoField(editable=False, primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical consent topic",
                "verbose_name_plural": "historical consent topics",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalImportProfile",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("code", models.SlugField(max_length=32, verbose_name="code")),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                (
                    "match_key",
                    models.CharField(
                        choices=[
                            ("customer_number", "customer number"),
                            ("email", "email"),
                            ("phone", "phone"),
                            ("personal_code", "personal code"),
                            ("portal_user_number", "portal user number"),
                        ],
                        default="customer_number",
                        max_length=24,
                        verbose_name="match key",
                    ),
                ),
                (
                    "columns",
                    models.JSONField(
                        blank=True,
                        default=dict,
                        help_text='Field → the file\'s column header, e.g. {"email": "Email Address"}.',
                        verbose_name="columns",
                    ),
                ),
                (
                    "constants",
                    models.JSONField(
                        blank=True,
                        default=dict,
                        help_text='Field → the value of every row, for fields the file lacks, e.g. {"action": "withdrawn"}.',
                        verbose_name="fixed values",
                    ),
                ),
                (
                    "date_format",
                    models.CharField(
                        blank=True,
                        help_text="A Python strptime format; empty for ISO 8601 or DD.MM.YYYY HH:MM[:SS].",
                        max_length=64,
                        verbose_name="date format",
                    ),
                ),
                (
                    "encoding",
                    models.CharField(
                        blank=True,
                        choices=[("", "detect"), ("utf-8", "UTF-8"), ("cp1257", "Windows-1257")],
                        max_length=16,
                        verbose_name="encoding",
                    ),
                ),
                (
                    "delimiter",
                    models.CharField(
                        blank=True,
                        choices=[("", "detect"), (",", ","), (";", ";"), ("\t", "TAB")],
                        max_length=2,
                        verbose_name="delimiter",
                    ),
                ),
                ("is_default", models.BooleanField(default=False, verbose_name="default")),
                ("history_id", models.BigAutoField(editable=False, primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical import profile",
                "verbose_name_plural": "historical import profiles",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="ImportProfile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(max_length=32, unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                (
                    "match_key",
                    models.CharField(
                        choices=[
                            ("customer_number", "customer number"),
                            ("email", "email"),
                            ("phone", "phone"),
                            ("personal_code", "personal code"),
                            ("portal_user_number", "portal user number"),
                        ],
                        default="customer_number",
                        max_length=24,
                        verbose_name="match key",
                    ),
                ),
                (
                    "columns",
                    models.JSONField(
                        blank=True,
                        default=dict,
                        help_text='Field → the file\'s column header, e.g. {"email": "Email Address"}.',
                        verbose_name="columns",
                    ),
                ),
                (
                    "constants",
                    models.JSONField(
                        blank=True,
                        default=dict,
                        help_text='Field → the value of every row, for fields the file lacks, e.g. {"action": "withdrawn"}.',
                        verbose_name="fixed values",
                    ),
                ),
                (
                    "date_format",
                    models.CharField(
                        blank=True,
                        help_text="A Python strptime format; empty for ISO 8601 or DD.MM.YYYY HH:MM[:SS].",
                        max_length=64,
                        verbose_name="date format",
                    ),
                ),
                (
                    "encoding",
                    models.CharField(
                        blank=True,
                        choices=[("", "detect"), ("utf-8", "UTF-8"), ("cp1257", "Windows-1257")],
                        max_length=16,
                        verbose_name="encoding",
                    ),
                ),
                (
                    "delimiter",
                    models.CharField(
                        blank=True,
                        choices=[("", "detect"), (",", ","), (";", ";"), ("\t", "TAB")],
                        max_length=2,
                        verbose_name="delimiter",
                    ),
                ),
                ("is_default", models.BooleanField(default=False, verbose_name="default")),
            ],
            options={
                "verbose_name": "import profile",
                "verbose_name_plural": "import profiles",
                "ordering": ["-is_default", "name"],
            },
        ),
        migrations.AddField(
            model_name="automateddecision",
            name="customer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="automated_decisions",
                to="privacy.customer",
                verbose_name="customer",
            ),
        ),
        migrations.AddField(
            model_name="automateddecision",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="recorded by",
            ),
        ),
        migrations.AddField(
            model_name="consent",
            name="customer",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="consents",
                to="privacy.customer",
                verbose_name="customer",
            ),
        ),
        migrations.AddField(
            model_name="consent",
            name="policy_version",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="privacy.policyversion",
                verbose_name="policy version",
            ),
        ),
        migrations.AddField(
            model_name="consentevent",
            name="captured_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="captured by",
            ),
        ),
        migrations.AddField(
            model_name="consentevent",
            name="customer",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="consent_events",
                to="privacy.customer",
                verbose_name="customer",
            ),
        ),
        migrations.AddField(
            model_name="consentevent",
            name="policy_version",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                help_text="The privacy policy in force when the customer decided (§68–71).",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="privacy.policyversion",
                verbose_name="policy version",
            ),
        ),
        migrations.AddField(
            model_name="consentimport",
            name="applied_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="imported by",
            ),
        ),
        migrations.AddField(
            model_name="consentimport",
            name="uploaded_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="uploaded by",
            ),
        ),
        migrations.AddConstraint(
            model_name="consenttopic",
            constraint=models.UniqueConstraint(
                condition=models.Q(("commercial_notice", True)),
                fields=("channel",),
                name="consenttopic_one_commercial_topic_per_channel",
            ),
        ),
        migrations.AddConstraint(
            model_name="consenttopic",
            constraint=models.CheckConstraint(
                condition=models.Q(("commercial_notice", True), ("channel", ""), _connector="OR"),
                name="consenttopic_channel_only_for_commercial_notice",
                violation_error_message="Only a commercial-notice topic covers a contact channel.",
            ),
        ),
        migrations.AddField(
            model_name="consentevent",
            name="topic",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="consents.consenttopic",
                verbose_name="topic",
            ),
        ),
        migrations.AddField(
            model_name="consent",
            name="topic",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="consents.consenttopic",
                verbose_name="topic",
            ),
        ),
        migrations.AddField(
            model_name="historicalautomateddecision",
            name="customer",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="privacy.customer",
                verbose_name="customer",
            ),
        ),
        migrations.AddField(
            model_name="historicalautomateddecision",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalautomateddecision",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="recorded by",
            ),
        ),
        migrations.AddField(
            model_name="historicalconsent",
            name="customer",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="privacy.customer",
                verbose_name="customer",
            ),
        ),
        migrations.AddField(
            model_name="historicalconsent",
            name="history_user",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalconsent",
            name="policy_version",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="privacy.policyversion",
                verbose_name="policy version",
            ),
        ),
        migrations.AddField(
            model_name="historicalconsent",
            name="topic",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="consents.consenttopic",
                verbose_name="topic",
            ),
        ),
        migrations.AddField(
            model_name="historicalconsentevent",
            name="captured_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="captured by",
            ),
        ),
        migrations.AddField(
            model_name="historicalconsentevent",
            name="customer",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="privacy.customer",
                verbose_name="customer",
            ),
        ),
        migrations.AddField(
            model_name="historicalconsentevent",
            name="history_user",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalconsentevent",
            name="policy_version",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                help_text="The privacy policy in force when the customer decided (§68–71).",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="privacy.policyversion",
                verbose_name="policy version",
            ),
        ),
        migrations.AddField(
            model_name="historicalconsentevent",
            name="topic",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="consents.consenttopic",
                verbose_name="topic",
            ),
        ),
        migrations.AddField(
            model_name="historicalconsentimport",
            name="applied_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="imported by",
            ),
        ),
        migrations.AddField(
            model_name="historicalconsentimport",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalconsentimport",
            name="uploaded_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="uploaded by",
            ),
        ),
        migrations.AddField(
            model_name="historicalconsenttopic",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalimportprofile",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="importprofile",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_default", True)),
                fields=("is_default",),
                name="import_profile_one_default",
            ),
        ),
        migrations.AddField(
            model_name="historicalconsentimport",
            name="profile",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="consents.importprofile",
                verbose_name="import profile",
            ),
        ),
        migrations.AddField(
            model_name="consentimport",
            name="profile",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="consents.importprofile",
                verbose_name="import profile",
            ),
        ),
        migrations.AddIndex(
            model_name="automateddecision",
            index=models.Index(fields=["decided_at"], name="autodecision_decided_at"),
        ),
        migrations.AddConstraint(
            model_name="automateddecision",
            constraint=models.UniqueConstraint(
                fields=("system", "reference"), name="autodecision_unique_reference"
            ),
        ),
        migrations.AddConstraint(
            model_name="automateddecision",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("consent_given_at__isnull", False),
                        ("contract_reference__gt", ""),
                        ("ground", "contract_consent"),
                    ),
                    models.Q(("ground", "law"), ("legal_provision__gt", "")),
                    _connector="OR",
                ),
                name="autodecision_has_ground",
                violation_error_message="An automated decision needs its ground: a contract and the customer's explicit consent, or a provision of law (§17).",
            ),
        ),
        migrations.AddConstraint(
            model_name="consentevent",
            constraint=models.UniqueConstraint(
                fields=("customer", "topic", "action", "occurred_at", "source"),
                name="consentevent_natural_key",
            ),
        ),
        migrations.AddConstraint(
            model_name="consent",
            constraint=models.UniqueConstraint(
                fields=("customer", "topic"), name="consent_one_per_customer_topic"
            ),
        ),
        migrations.AddIndex(
            model_name="historicalconsent",
            index=privacy.history.AppendOrderIndex(
                autosummarize=True, fields=["history_date"], name="consent_hist_date_brin"
            ),
        ),
        migrations.AddIndex(
            model_name="historicalconsentevent",
            index=privacy.history.AppendOrderIndex(
                autosummarize=True, fields=["history_date"], name="consentevent_hist_date_brin"
            ),
        ),
        migrations.AddIndex(
            model_name="historicalconsentevent",
            index=privacy.history.AppendOrderIndex(
                autosummarize=True, fields=["id"], name="consentevent_hist_id_brin", pages_per_range=16
            ),
        ),
        migrations.RunPython(_on_postgresql(POSTGRESQL), _on_postgresql(POSTGRESQL_BACKWARD), elidable=False),
    ]
