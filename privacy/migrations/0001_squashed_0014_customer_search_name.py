"""The register, customers and their records, staff, erasure and suppression: privacy 0001–0014 in one.

On a new database Django applies this migration instead of the 19 it replaces (`replaces`): the same
tables, indexes and constraints, and the search functions, the stored folded name and the tombstone
guard, as those give, in one step (a test database migrates in about 60 % of the time). A database that
applied the old ones records this one as applied and runs nothing; the old files stay until every
database has passed them. Their data steps only change rows an existing database has: on a new one the
sync after migrate (privacy/sync.py) creates the rows as the code has them.
"""

import django.contrib.auth.models
import django.contrib.auth.validators
import django.db.models.deletion
import django.utils.timezone
import privacy.models
import simple_history.models
from django.conf import settings
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations, models

#: PostgreSQL only (nothing on SQLite, for `make run`): the last-name prefix index of the admin's
#: search (0002), the folding functions, the stored folded name `search_name` and its trigram index of
#: the person search (0007, 0014; privacy/search.py), and the guard that refuses any change to an
#: erasure tombstone (0008, as 0014 left it; §38–39).
POSTGRESQL = """
CREATE INDEX IF NOT EXISTS customer_last_name_prefix
    ON privacy_customer (last_name varchar_pattern_ops, first_name);
CREATE OR REPLACE FUNCTION privacy_fold(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$;
CREATE OR REPLACE FUNCTION privacy_person_name(first_name text, last_name text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary,
                                       coalesce(first_name, '') || ' ' || coalesce(last_name, ''))) $$;
ALTER TABLE privacy_customer ADD COLUMN IF NOT EXISTS search_name text
    GENERATED ALWAYS AS (privacy_person_name(first_name, last_name)) STORED;
CREATE INDEX IF NOT EXISTS customer_name_trgm ON privacy_customer USING gin (search_name gin_trgm_ops);
CREATE OR REPLACE FUNCTION privacy_customer_tombstone_immutable() RETURNS trigger AS $$
BEGIN
    IF (to_jsonb(NEW) - 'search_name') IS DISTINCT FROM (to_jsonb(OLD) - 'search_name') THEN
        RAISE EXCEPTION USING
            MESSAGE = 'customer ' || OLD.id || ' is an erasure tombstone and cannot be changed (§38-39)',
            ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS privacy_customer_tombstone_immutable ON privacy_customer;
CREATE TRIGGER privacy_customer_tombstone_immutable
    BEFORE UPDATE ON privacy_customer
    FOR EACH ROW
    WHEN (OLD.status = 'tombstone')
    EXECUTE FUNCTION privacy_customer_tombstone_immutable();
"""

POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS privacy_customer_tombstone_immutable ON privacy_customer;
DROP FUNCTION IF EXISTS privacy_customer_tombstone_immutable();
DROP INDEX IF EXISTS customer_name_trgm;
ALTER TABLE privacy_customer DROP COLUMN IF EXISTS search_name;
DROP FUNCTION IF EXISTS privacy_person_name(text, text);
DROP FUNCTION IF EXISTS privacy_fold(text);
DROP INDEX IF EXISTS customer_last_name_prefix;
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, None)

    return run


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("privacy", "0001_initial"),
        ("privacy", "0002_reference_registers"),
        ("privacy", "0003_erasure_records_suppression_restriction"),
        ("privacy", "0004_admin_log_object_index"),
        ("privacy", "0005_staff_roles"),
        ("privacy", "0006_recording_file_index"),
        ("privacy", "0007_data_category_register"),
        ("privacy", "0007_disclosure_legal_reference"),
        ("privacy", "0007_erased_rows"),
        ("privacy", "0007_objections_and_policy_texts"),
        ("privacy", "0007_person_search"),
        ("privacy", "0007_recording_purpose_and_evidence_contract"),
        ("privacy", "0008_tombstone_guard_trigger"),
        ("privacy", "0009_merge_20261203_1223"),
        ("privacy", "0010_merge_20261203_1255"),
        ("privacy", "0011_merge_20261203_1257"),
        ("privacy", "0012_merge_20261203_1257"),
        ("privacy", "0013_merge_0007_person_search_0012_merge_20261203_1257"),
        ("privacy", "0014_customer_search_name"),
    ]

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataSource",
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
                ("code", models.SlugField(max_length=48, unique=True, verbose_name="code")),
                ("clause", models.CharField(max_length=16, verbose_name="clause")),
            ],
            options={
                "verbose_name": "data source",
                "verbose_name_plural": "data sources",
                "ordering": ["clause"],
            },
        ),
        migrations.CreateModel(
            name="LegalBasis",
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
                ("clause", models.CharField(max_length=16, verbose_name="clause")),
            ],
            options={
                "verbose_name": "legal basis",
                "verbose_name_plural": "legal bases",
                "ordering": ["clause"],
            },
        ),
        migrations.CreateModel(
            name="LegitimateInterest",
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
                ("clause", models.CharField(max_length=16, unique=True, verbose_name="clause")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
            ],
            options={
                "verbose_name": "legitimate interest",
                "verbose_name_plural": "legitimate interests",
                "ordering": ["position"],
            },
        ),
        migrations.CreateModel(
            name="PendingFileDeletion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "field",
                    models.CharField(
                        help_text="app_label.Model.field", max_length=200, verbose_name="file field"
                    ),
                ),
                ("name", models.CharField(max_length=500, verbose_name="storage name")),
                (
                    "queued_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="queued at"
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                ("last_error", models.CharField(blank=True, max_length=300, verbose_name="last error")),
            ],
            options={
                "verbose_name": "pending file deletion",
                "verbose_name_plural": "pending file deletions",
                "ordering": ["queued_at", "id"],
            },
        ),
        migrations.CreateModel(
            name="PolicyVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("label", models.CharField(max_length=32, unique=True, verbose_name="label")),
                ("effective_from", models.DateField(unique=True, verbose_name="in force from")),
                ("text", models.TextField(blank=True, verbose_name="text")),
                ("text_lv", models.TextField(blank=True, verbose_name="full text (Latvian)")),
                ("text_ru", models.TextField(blank=True, verbose_name="full text (Russian)")),
                ("text_en", models.TextField(blank=True, verbose_name="full text (English)")),
                (
                    "file",
                    models.FileField(
                        blank=True,
                        max_length=255,
                        upload_to="policy-versions/",
                        verbose_name="published file (PDF)",
                    ),
                ),
            ],
            options={
                "verbose_name": "policy version",
                "verbose_name_plural": "policy versions",
                "ordering": ["-effective_from"],
            },
        ),
        migrations.CreateModel(
            name="User",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("password", models.CharField(max_length=128, verbose_name="password")),
                ("last_login", models.DateTimeField(blank=True, null=True, verbose_name="last login")),
                (
                    "is_superuser",
                    models.BooleanField(
                        default=False,
                        help_text="Designates that this user has all permissions without explicitly assigning them.",
                        verbose_name="superuser status",
                    ),
                ),
                (
                    "username",
                    models.CharField(
                        error_messages={"unique": "A user with that username already exists."},
                        help_text="Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.",
                        max_length=150,
                        unique=True,
                        validators=[django.contrib.auth.validators.UnicodeUsernameValidator()],
                        verbose_name="username",
                    ),
                ),
                ("first_name", models.CharField(blank=True, max_length=150, verbose_name="first name")),
                ("last_name", models.CharField(blank=True, max_length=150, verbose_name="last name")),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="email address")),
                (
                    "is_staff",
                    models.BooleanField(
                        default=False,
                        help_text="Designates whether the user can log into this admin site.",
                        verbose_name="staff status",
                    ),
                ),
                (
                    "is_active",
                    models.BooleanField(
                        default=True,
                        help_text="Designates whether this user should be treated as active. Unselect this instead of deleting accounts.",
                        verbose_name="active",
                    ),
                ),
                (
                    "date_joined",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="date joined"),
                ),
                ("language", models.CharField(blank=True, max_length=8, verbose_name="admin language")),
                (
                    "groups",
                    models.ManyToManyField(
                        blank=True,
                        help_text="The groups this user belongs to. A user will get all permissions granted to each of their groups.",
                        related_name="user_set",
                        related_query_name="user",
                        to="auth.group",
                        verbose_name="groups",
                    ),
                ),
                (
                    "user_permissions",
                    models.ManyToManyField(
                        blank=True,
                        help_text="Specific permissions for this user.",
                        related_name="user_set",
                        related_query_name="user",
                        to="auth.permission",
                        verbose_name="user permissions",
                    ),
                ),
            ],
            options={
                "verbose_name": "staff user",
                "verbose_name_plural": "staff users",
                "abstract": False,
                "swappable": "AUTH_USER_MODEL",
            },
            managers=[
                ("objects", django.contrib.auth.models.UserManager()),
            ],
        ),
        migrations.CreateModel(
            name="Customer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "customer_number",
                    models.CharField(max_length=32, unique=True, verbose_name="customer number"),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("subscriber", "customer / subscriber"),
                            ("contact_person", "contact person"),
                            ("payer", "payer"),
                            ("visitor", "visitor of premises"),
                            ("online_user", "website/app user or caller"),
                            ("marketing_participant", "marketing campaign participant"),
                            ("property_owner", "property owner"),
                        ],
                        default="subscriber",
                        max_length=24,
                        verbose_name="kind",
                    ),
                ),
                (
                    "lifecycle",
                    models.CharField(
                        choices=[("potential", "potential"), ("current", "current"), ("former", "former")],
                        default="current",
                        max_length=16,
                        verbose_name="lifecycle",
                    ),
                ),
                ("first_name", models.CharField(blank=True, max_length=100, verbose_name="first name")),
                ("last_name", models.CharField(blank=True, max_length=100, verbose_name="last name")),
                ("personal_code", models.CharField(blank=True, max_length=12, verbose_name="personal code")),
                ("birth_date", models.DateField(blank=True, null=True, verbose_name="birth date")),
                (
                    "id_document_number",
                    models.CharField(blank=True, max_length=32, verbose_name="identity document number"),
                ),
                ("address", models.TextField(blank=True, verbose_name="address")),
                ("phone", models.CharField(blank=True, max_length=32, verbose_name="phone")),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="email")),
                (
                    "residency",
                    models.CharField(
                        blank=True,
                        choices=[("", "unknown"), ("resident", "resident"), ("non_resident", "non-resident")],
                        max_length=16,
                        verbose_name="resident status",
                    ),
                ),
                ("deceased", models.BooleanField(default=False, verbose_name="deceased")),
                ("disability", models.BooleanField(default=False, verbose_name="disability mark")),
                (
                    "preferred_language",
                    models.CharField(
                        choices=[("lv", "Latvian"), ("ru", "Russian"), ("en", "English")],
                        default="lv",
                        max_length=2,
                        verbose_name="preferred language",
                    ),
                ),
                (
                    "portal_user_number",
                    models.CharField(blank=True, max_length=32, verbose_name="portal user number"),
                ),
                (
                    "registered_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="registered at"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("active", "active"), ("tombstone", "erased (kept under a legal duty)")],
                        default="active",
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
                (
                    "restricted_since",
                    models.DateTimeField(blank=True, null=True, verbose_name="processing restricted since"),
                ),
                (
                    "marketing_objection_since",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="objected to direct marketing since"
                    ),
                ),
                (
                    "belongs_to",
                    models.ForeignKey(
                        blank=True,
                        help_text="For contact persons and payers: the customer they act for.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="linked_persons",
                        to="privacy.customer",
                        verbose_name="belongs to customer",
                    ),
                ),
            ],
            options={
                "verbose_name": "customer",
                "verbose_name_plural": "customers",
                "ordering": ["-id"],
                "permissions": [("view_special_categories", "Can see special categories of personal data")],
            },
        ),
        migrations.CreateModel(
            name="Contract",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.CharField(max_length=32, unique=True, verbose_name="number")),
                (
                    "type",
                    models.CharField(
                        choices=[("postpaid", "postpaid contract"), ("prepaid", "prepaid service")],
                        max_length=16,
                        verbose_name="type",
                    ),
                ),
                ("service_name", models.CharField(max_length=200, verbose_name="service")),
                ("service_address", models.TextField(blank=True, verbose_name="service address")),
                ("start_date", models.DateField(verbose_name="start date")),
                ("end_date", models.DateField(blank=True, null=True, verbose_name="end date")),
                (
                    "last_service_use",
                    models.DateField(blank=True, null=True, verbose_name="last service use"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("active", "active"), ("suspended", "suspended"), ("ended", "ended")],
                        default="active",
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
                (
                    "customer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="contracts",
                        to="privacy.customer",
                        verbose_name="customer",
                    ),
                ),
            ],
            options={
                "verbose_name": "contract or service",
                "verbose_name_plural": "contracts and services",
                "ordering": ["-start_date", "-id"],
            },
        ),
        migrations.CreateModel(
            name="DataCategory",
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
                ("number", models.PositiveSmallIntegerField(unique=True, verbose_name="number")),
                ("special", models.BooleanField(default=False, verbose_name="special category")),
                ("examples_lv", models.TextField(blank=True, verbose_name="examples (Latvian)")),
                ("examples_en", models.TextField(blank=True, verbose_name="examples (English)")),
                ("examples_ru", models.TextField(blank=True, verbose_name="examples (Russian)")),
                ("retention_lv", models.TextField(blank=True, verbose_name="how long it is kept (Latvian)")),
                ("retention_en", models.TextField(blank=True, verbose_name="how long it is kept (English)")),
                ("retention_ru", models.TextField(blank=True, verbose_name="how long it is kept (Russian)")),
                (
                    "retention_rule",
                    models.CharField(
                        blank=True,
                        help_text="Code of the retention rule that dates this category's deletion for a person, if any.",
                        max_length=32,
                        verbose_name="retention rule",
                    ),
                ),
                (
                    "automated_decisions_lv",
                    models.TextField(blank=True, verbose_name="automated decisions (Latvian)"),
                ),
                (
                    "automated_decisions_en",
                    models.TextField(blank=True, verbose_name="automated decisions (English)"),
                ),
                (
                    "automated_decisions_ru",
                    models.TextField(blank=True, verbose_name="automated decisions (Russian)"),
                ),
                (
                    "sources",
                    models.ManyToManyField(
                        blank=True,
                        related_name="data_categories",
                        to="privacy.datasource",
                        verbose_name="sources (§24)",
                    ),
                ),
                (
                    "legal_bases",
                    models.ManyToManyField(
                        blank=True,
                        related_name="data_categories",
                        to="privacy.legalbasis",
                        verbose_name="legal bases (§11)",
                    ),
                ),
                (
                    "legitimate_interests",
                    models.ManyToManyField(
                        blank=True,
                        related_name="data_categories",
                        to="privacy.legitimateinterest",
                        verbose_name="legitimate interests (§12)",
                    ),
                ),
            ],
            options={
                "verbose_name": "data category",
                "verbose_name_plural": "data categories",
                "ordering": ["number"],
            },
        ),
        migrations.CreateModel(
            name="Disclosure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "ground",
                    models.CharField(
                        choices=[
                            ("26.1", "§26.1 contract or delegated legal function"),
                            ("26.2", "§26.2 customer's explicit consent"),
                            ("26.3", "§26.3 person entitled by law, on justified request"),
                            ("26.4", "§26.4 defence of legitimate interests"),
                        ],
                        max_length=8,
                        verbose_name="ground",
                    ),
                ),
                (
                    "legal_reference",
                    models.CharField(
                        blank=True,
                        help_text="What the disclosure rests on (§26): the contract term that told the customer (26.1), the consent (26.2), the law entitling the requester (26.3), the proceedings (26.4).",
                        max_length=200,
                        verbose_name="legal reference",
                    ),
                ),
                (
                    "request_reference",
                    models.CharField(
                        blank=True,
                        help_text="The requester's reference of the request the disclosure answered (not the customer's details: it stays after an erasure); required for §26.3.",
                        max_length=100,
                        verbose_name="reference of the request",
                    ),
                ),
                ("disclosed_on", models.DateField(verbose_name="disclosed on")),
                ("notes", models.TextField(blank=True, verbose_name="notes")),
                (
                    "customer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="disclosures",
                        to="privacy.customer",
                        verbose_name="customer",
                    ),
                ),
                (
                    "data_categories",
                    models.ManyToManyField(
                        related_name="disclosures", to="privacy.datacategory", verbose_name="data categories"
                    ),
                ),
            ],
            options={
                "verbose_name": "disclosure",
                "verbose_name_plural": "disclosures",
                "ordering": ["-disclosed_on", "-id"],
            },
        ),
        migrations.CreateModel(
            name="ErasureRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("uuid", models.UUIDField(editable=False, unique=True, verbose_name="ledger id")),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="erased at"
                    ),
                ),
                ("reason", models.CharField(max_length=200, verbose_name="reason")),
                ("request_reference", models.CharField(blank=True, max_length=100, verbose_name="request")),
                ("request_id", models.BigIntegerField(blank=True, null=True, verbose_name="request id")),
                (
                    "subject_id",
                    models.BigIntegerField(
                        blank=True,
                        help_text="Id of the customer row (the tombstone if kept).",
                        null=True,
                        verbose_name="customer id",
                    ),
                ),
                (
                    "tombstone",
                    models.BooleanField(default=False, verbose_name="customer kept as a tombstone"),
                ),
                (
                    "erased",
                    models.JSONField(blank=True, default=dict, verbose_name="erased (rows per model)"),
                ),
                (
                    "anonymised",
                    models.JSONField(blank=True, default=dict, verbose_name="anonymised (rows per model)"),
                ),
                (
                    "kept",
                    models.JSONField(
                        blank=True, default=dict, verbose_name="kept (rows per model and reason)"
                    ),
                ),
                (
                    "suppressed_channels",
                    models.JSONField(
                        blank=True, default=list, verbose_name="opt-outs kept in the suppression list"
                    ),
                ),
                (
                    "customer_number_hash",
                    models.CharField(blank=True, max_length=64, verbose_name="customer number (keyed hash)"),
                ),
                (
                    "personal_code_hash",
                    models.CharField(blank=True, max_length=64, verbose_name="personal code (keyed hash)"),
                ),
                (
                    "replay_of",
                    models.UUIDField(
                        blank=True,
                        help_text="Set when this erasure repeated an earlier one for a subject restored from a backup.",
                        null=True,
                        verbose_name="replay of erasure",
                    ),
                ),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="erased by",
                    ),
                ),
            ],
            options={
                "verbose_name": "erasure record",
                "verbose_name_plural": "erasure records",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="ErasedRow",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "model",
                    models.CharField(help_text="app_label.Model", max_length=100, verbose_name="model"),
                ),
                ("object_id", models.CharField(max_length=64, verbose_name="object id")),
                (
                    "how",
                    models.CharField(
                        help_text="“anonymised” or the reason it was kept", max_length=32, verbose_name="how"
                    ),
                ),
                (
                    "erasure",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rows",
                        to="privacy.erasurerecord",
                        verbose_name="erasure",
                    ),
                ),
            ],
            options={
                "verbose_name": "row left by an erasure",
                "verbose_name_plural": "rows left by erasures",
            },
        ),
        migrations.CreateModel(
            name="HistoricalAccessLog",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="at")),
                (
                    "action",
                    models.CharField(
                        choices=[("download", "download"), ("refused", "refused")],
                        max_length=16,
                        verbose_name="action",
                    ),
                ),
                ("object_label", models.CharField(max_length=100, verbose_name="object type")),
                ("object_id", models.CharField(max_length=64, verbose_name="object id")),
                ("history_id", models.BigAutoField(editable=False, primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="staff user",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical file access",
                "verbose_name_plural": "historical file access log",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalContract",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("number", models.CharField(db_index=True, max_length=32, verbose_name="number")),
                (
                    "type",
                    models.CharField(
                        choices=[("postpaid", "postpaid contract"), ("prepaid", "prepaid service")],
                        max_length=16,
                        verbose_name="type",
                    ),
                ),
                ("service_name", models.CharField(max_length=200, verbose_name="service")),
                ("service_address", models.TextField(blank=True, verbose_name="service address")),
                ("start_date", models.DateField(verbose_name="start date")),
                ("end_date", models.DateField(blank=True, null=True, verbose_name="end date")),
                (
                    "last_service_use",
                    models.DateField(blank=True, null=True, verbose_name="last service use"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("active", "active"), ("suspended", "suspended"), ("ended", "ended")],
                        default="active",
                        max_length=16,
                        verbose_name="status",
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
                (
                    "customer",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="privacy.customer",
                        verbose_name="customer",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical contract or service",
                "verbose_name_plural": "historical contracts and services",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalCustomer",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "customer_number",
                    models.CharField(db_index=True, max_length=32, verbose_name="customer number"),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("subscriber", "customer / subscriber"),
                            ("contact_person", "contact person"),
                            ("payer", "payer"),
                            ("visitor", "visitor of premises"),
                            ("online_user", "website/app user or caller"),
                            ("marketing_participant", "marketing campaign participant"),
                            ("property_owner", "property owner"),
                        ],
                        default="subscriber",
                        max_length=24,
                        verbose_name="kind",
                    ),
                ),
                (
                    "lifecycle",
                    models.CharField(
                        choices=[("potential", "potential"), ("current", "current"), ("former", "former")],
                        default="current",
                        max_length=16,
                        verbose_name="lifecycle",
                    ),
                ),
                ("first_name", models.CharField(blank=True, max_length=100, verbose_name="first name")),
                ("last_name", models.CharField(blank=True, max_length=100, verbose_name="last name")),
                ("personal_code", models.CharField(blank=True, max_length=12, verbose_name="personal code")),
                ("birth_date", models.DateField(blank=True, null=True, verbose_name="birth date")),
                (
                    "id_document_number",
                    models.CharField(blank=True, max_length=32, verbose_name="identity document number"),
                ),
                ("address", models.TextField(blank=True, verbose_name="address")),
                ("phone", models.CharField(blank=True, max_length=32, verbose_name="phone")),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="email")),
                (
                    "residency",
                    models.CharField(
                        blank=True,
                        choices=[("", "unknown"), ("resident", "resident"), ("non_resident", "non-resident")],
                        max_length=16,
                        verbose_name="resident status",
                    ),
                ),
                ("deceased", models.BooleanField(default=False, verbose_name="deceased")),
                ("disability", models.BooleanField(default=False, verbose_name="disability mark")),
                (
                    "preferred_language",
                    models.CharField(
                        choices=[("lv", "Latvian"), ("ru", "Russian"), ("en", "English")],
                        default="lv",
                        max_length=2,
                        verbose_name="preferred language",
                    ),
                ),
                (
                    "portal_user_number",
                    models.CharField(blank=True, max_length=32, verbose_name="portal user number"),
                ),
                (
                    "registered_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="registered at"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("active", "active"), ("tombstone", "erased (kept under a legal duty)")],
                        default="active",
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
                (
                    "restricted_since",
                    models.DateTimeField(blank=True, null=True, verbose_name="processing restricted since"),
                ),
                (
                    "marketing_objection_since",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="objected to direct marketing since"
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
                (
                    "belongs_to",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="For contact persons and payers: the customer they act for.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="privacy.customer",
                        verbose_name="belongs to customer",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical customer",
                "verbose_name_plural": "historical customers",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalDataCategory",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("name_lv", models.TextField(verbose_name="name (Latvian)")),
                ("name_en", models.TextField(verbose_name="name (English)")),
                ("name_ru", models.TextField(blank=True, verbose_name="name (Russian)")),
                ("number", models.PositiveSmallIntegerField(db_index=True, verbose_name="number")),
                ("special", models.BooleanField(default=False, verbose_name="special category")),
                ("examples_lv", models.TextField(blank=True, verbose_name="examples (Latvian)")),
                ("examples_en", models.TextField(blank=True, verbose_name="examples (English)")),
                ("examples_ru", models.TextField(blank=True, verbose_name="examples (Russian)")),
                ("retention_lv", models.TextField(blank=True, verbose_name="how long it is kept (Latvian)")),
                ("retention_en", models.TextField(blank=True, verbose_name="how long it is kept (English)")),
                ("retention_ru", models.TextField(blank=True, verbose_name="how long it is kept (Russian)")),
                (
                    "retention_rule",
                    models.CharField(
                        blank=True,
                        help_text="Code of the retention rule that dates this category's deletion for a person, if any.",
                        max_length=32,
                        verbose_name="retention rule",
                    ),
                ),
                (
                    "automated_decisions_lv",
                    models.TextField(blank=True, verbose_name="automated decisions (Latvian)"),
                ),
                (
                    "automated_decisions_en",
                    models.TextField(blank=True, verbose_name="automated decisions (English)"),
                ),
                (
                    "automated_decisions_ru",
                    models.TextField(blank=True, verbose_name="automated decisions (Russian)"),
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
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical data category",
                "verbose_name_plural": "historical data categories",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalDataCategory_sources",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("m2m_history_id", models.BigAutoField(editable=False, primary_key=True, serialize=False)),
                (
                    "datacategory",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="privacy.datacategory",
                    ),
                ),
                (
                    "datasource",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="privacy.datasource",
                    ),
                ),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="privacy.historicaldatacategory",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalDataCategory_sources",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalDataSource",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("name_lv", models.TextField(verbose_name="name (Latvian)")),
                ("name_en", models.TextField(verbose_name="name (English)")),
                ("name_ru", models.TextField(blank=True, verbose_name="name (Russian)")),
                ("code", models.SlugField(max_length=48, verbose_name="code")),
                ("clause", models.CharField(max_length=16, verbose_name="clause")),
                ("history_id", models.BigAutoField(editable=False, primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical data source",
                "verbose_name_plural": "historical data sources",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalDisclosure",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "ground",
                    models.CharField(
                        choices=[
                            ("26.1", "§26.1 contract or delegated legal function"),
                            ("26.2", "§26.2 customer's explicit consent"),
                            ("26.3", "§26.3 person entitled by law, on justified request"),
                            ("26.4", "§26.4 defence of legitimate interests"),
                        ],
                        max_length=8,
                        verbose_name="ground",
                    ),
                ),
                (
                    "legal_reference",
                    models.CharField(
                        blank=True,
                        help_text="What the disclosure rests on (§26): the contract term that told the customer (26.1), the consent (26.2), the law entitling the requester (26.3), the proceedings (26.4).",
                        max_length=200,
                        verbose_name="legal reference",
                    ),
                ),
                (
                    "request_reference",
                    models.CharField(
                        blank=True,
                        help_text="The requester's reference of the request the disclosure answered (not the customer's details: it stays after an erasure); required for §26.3.",
                        max_length=100,
                        verbose_name="reference of the request",
                    ),
                ),
                ("disclosed_on", models.DateField(verbose_name="disclosed on")),
                ("notes", models.TextField(blank=True, verbose_name="notes")),
                ("history_id", models.BigAutoField(editable=False, primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "customer",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="privacy.customer",
                        verbose_name="customer",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical disclosure",
                "verbose_name_plural": "historical disclosures",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalDisclosure_data_categories",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("m2m_history_id", models.BigAutoField(editable=False, primary_key=True, serialize=False)),
                (
                    "datacategory",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="privacy.datacategory",
                    ),
                ),
                (
                    "disclosure",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="privacy.disclosure",
                    ),
                ),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="privacy.historicaldisclosure",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalDisclosure_data_categories",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalErasureRecord",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("uuid", models.UUIDField(db_index=True, editable=False, verbose_name="ledger id")),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="erased at"
                    ),
                ),
                ("reason", models.CharField(max_length=200, verbose_name="reason")),
                ("request_reference", models.CharField(blank=True, max_length=100, verbose_name="request")),
                ("request_id", models.BigIntegerField(blank=True, null=True, verbose_name="request id")),
                (
                    "subject_id",
                    models.BigIntegerField(
                        blank=True,
                        help_text="Id of the customer row (the tombstone if kept).",
                        null=True,
                        verbose_name="customer id",
                    ),
                ),
                (
                    "tombstone",
                    models.BooleanField(default=False, verbose_name="customer kept as a tombstone"),
                ),
                (
                    "erased",
                    models.JSONField(blank=True, default=dict, verbose_name="erased (rows per model)"),
                ),
                (
                    "anonymised",
                    models.JSONField(blank=True, default=dict, verbose_name="anonymised (rows per model)"),
                ),
                (
                    "kept",
                    models.JSONField(
                        blank=True, default=dict, verbose_name="kept (rows per model and reason)"
                    ),
                ),
                (
                    "suppressed_channels",
                    models.JSONField(
                        blank=True, default=list, verbose_name="opt-outs kept in the suppression list"
                    ),
                ),
                (
                    "customer_number_hash",
                    models.CharField(blank=True, max_length=64, verbose_name="customer number (keyed hash)"),
                ),
                (
                    "personal_code_hash",
                    models.CharField(blank=True, max_length=64, verbose_name="personal code (keyed hash)"),
                ),
                (
                    "replay_of",
                    models.UUIDField(
                        blank=True,
                        help_text="Set when this erasure repeated an earlier one for a subject restored from a backup.",
                        null=True,
                        verbose_name="replay of erasure",
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
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="erased by",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical erasure record",
                "verbose_name_plural": "historical erasure records",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalInvoice",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("number", models.CharField(db_index=True, max_length=32, verbose_name="number")),
                ("issue_date", models.DateField(verbose_name="issue date")),
                ("amount", models.DecimalField(decimal_places=2, max_digits=12, verbose_name="amount (EUR)")),
                ("paid_date", models.DateField(blank=True, null=True, verbose_name="paid on")),
                (
                    "outstanding_debt",
                    models.DecimalField(
                        decimal_places=2, default=0, max_digits=12, verbose_name="outstanding debt (EUR)"
                    ),
                ),
                ("payer_name", models.CharField(blank=True, max_length=200, verbose_name="payer name")),
                ("billing_address", models.TextField(blank=True, verbose_name="billing address")),
                ("bank_account", models.CharField(blank=True, max_length=34, verbose_name="bank account")),
                (
                    "restricted_at",
                    models.DateTimeField(
                        blank=True, editable=False, null=True, verbose_name="restricted since"
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
                (
                    "contract",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="privacy.contract",
                        verbose_name="contract",
                    ),
                ),
                (
                    "customer",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="privacy.customer",
                        verbose_name="customer",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical invoice",
                "verbose_name_plural": "historical invoices",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalLegalBasis",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("name_lv", models.TextField(verbose_name="name (Latvian)")),
                ("name_en", models.TextField(verbose_name="name (English)")),
                ("name_ru", models.TextField(blank=True, verbose_name="name (Russian)")),
                ("code", models.SlugField(max_length=32, verbose_name="code")),
                ("clause", models.CharField(max_length=16, verbose_name="clause")),
                ("history_id", models.BigAutoField(editable=False, primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical legal basis",
                "verbose_name_plural": "historical legal bases",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalLegalHold",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("object_id", models.CharField(blank=True, max_length=64, verbose_name="record id")),
                ("reason", models.TextField(verbose_name="reason")),
                ("set_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="set at")),
                (
                    "until",
                    models.DateField(
                        blank=True, help_text="Empty: until released.", null=True, verbose_name="until"
                    ),
                ),
                ("released_at", models.DateTimeField(blank=True, null=True, verbose_name="released at")),
                ("history_id", models.BigAutoField(editable=False, primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "content_type",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="contenttypes.contenttype",
                        verbose_name="record type",
                    ),
                ),
                (
                    "customer",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="privacy.customer",
                        verbose_name="customer",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "set_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="set by",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical legal hold",
                "verbose_name_plural": "historical legal holds",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalLegitimateInterest",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("name_lv", models.TextField(verbose_name="name (Latvian)")),
                ("name_en", models.TextField(verbose_name="name (English)")),
                ("name_ru", models.TextField(blank=True, verbose_name="name (Russian)")),
                ("clause", models.CharField(db_index=True, max_length=16, verbose_name="clause")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                ("history_id", models.BigAutoField(editable=False, primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical legitimate interest",
                "verbose_name_plural": "historical legitimate interests",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalPolicyVersion",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("label", models.CharField(db_index=True, max_length=32, verbose_name="label")),
                ("effective_from", models.DateField(db_index=True, verbose_name="in force from")),
                ("text", models.TextField(blank=True, verbose_name="text")),
                ("text_lv", models.TextField(blank=True, verbose_name="full text (Latvian)")),
                ("text_ru", models.TextField(blank=True, verbose_name="full text (Russian)")),
                ("text_en", models.TextField(blank=True, verbose_name="full text (English)")),
                ("file", models.TextField(blank=True, max_length=255, verbose_name="published file (PDF)")),
                ("history_id", models.BigAutoField(editable=False, primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical policy version",
                "verbose_name_plural": "historical policy versions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalRecipient",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("name_lv", models.TextField(verbose_name="name (Latvian)")),
                ("name_en", models.TextField(verbose_name="name (English)")),
                ("name_ru", models.TextField(blank=True, verbose_name="name (Russian)")),
                ("code", models.SlugField(max_length=48, verbose_name="code")),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("processor", "processor"),
                            ("third_party", "third party"),
                            ("authority", "authority"),
                        ],
                        max_length=16,
                        verbose_name="role",
                    ),
                ),
                (
                    "country",
                    models.CharField(
                        blank=True, help_text="ISO 3166 code", max_length=2, verbose_name="country"
                    ),
                ),
                ("third_country", models.BooleanField(default=False, verbose_name="outside the EU/EEA")),
                ("safeguard", models.TextField(blank=True, verbose_name="safeguard for transfer")),
                ("clause", models.CharField(blank=True, max_length=16, verbose_name="clause")),
                ("history_id", models.BigAutoField(editable=False, primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical recipient",
                "verbose_name_plural": "historical recipients",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalRecording",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("call_audio", "call audio"),
                            ("correspondence", "written correspondence"),
                            ("video", "video"),
                        ],
                        default="call_audio",
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                (
                    "purpose",
                    models.CharField(
                        choices=[
                            ("service", "service provision, maintenance and billing (§33)"),
                            ("contract_evidence", "evidence of an orally concluded contract (§12.9)"),
                            ("consent_evidence", "evidence of a consent given (§12.9)"),
                        ],
                        db_default="service",
                        default="service",
                        help_text="Decides how long it is kept (§33, §12.9). Video is kept by its own rule.",
                        max_length=24,
                        verbose_name="purpose",
                    ),
                ),
                (
                    "channel",
                    models.CharField(
                        choices=[
                            ("phone", "phone"),
                            ("email", "email"),
                            ("portal", "portal"),
                            ("in_person", "in person"),
                            ("chat", "chat"),
                        ],
                        default="phone",
                        max_length=16,
                        verbose_name="channel",
                    ),
                ),
                ("recorded_at", models.DateTimeField(verbose_name="recorded at")),
                ("duration_seconds", models.PositiveIntegerField(default=0, verbose_name="duration (s)")),
                ("file", models.TextField(blank=True, max_length=255, verbose_name="file")),
                ("history_id", models.BigAutoField(editable=False, primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "contract",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="For evidence of an orally concluded contract (§12.9): kept while it is in force.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="privacy.contract",
                        verbose_name="contract it proves",
                    ),
                ),
                (
                    "customer",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="privacy.customer",
                        verbose_name="customer",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical recording",
                "verbose_name_plural": "historical recordings",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalSuppressionEntry",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("contact_hash", models.CharField(max_length=64, verbose_name="contact (keyed hash)")),
                (
                    "channel",
                    models.CharField(
                        choices=[("email", "email"), ("sms", "SMS"), ("phone", "phone call")],
                        max_length=8,
                        verbose_name="channel",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="added at"
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
                (
                    "erasure",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="privacy.erasurerecord",
                        verbose_name="added by erasure",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical suppression list entry",
                "verbose_name_plural": "historical suppression list",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalUser",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "is_superuser",
                    models.BooleanField(
                        default=False,
                        help_text="Designates that this user has all permissions without explicitly assigning them.",
                        verbose_name="superuser status",
                    ),
                ),
                (
                    "username",
                    models.CharField(
                        db_index=True,
                        error_messages={"unique": "A user with that username already exists."},
                        help_text="Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.",
                        max_length=150,
                        validators=[django.contrib.auth.validators.UnicodeUsernameValidator()],
                        verbose_name="username",
                    ),
                ),
                ("first_name", models.CharField(blank=True, max_length=150, verbose_name="first name")),
                ("last_name", models.CharField(blank=True, max_length=150, verbose_name="last name")),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="email address")),
                (
                    "is_staff",
                    models.BooleanField(
                        default=False,
                        help_text="Designates whether the user can log into this admin site.",
                        verbose_name="staff status",
                    ),
                ),
                (
                    "is_active",
                    models.BooleanField(
                        default=True,
                        help_text="Designates whether this user should be treated as active. Unselect this instead of deleting accounts.",
                        verbose_name="active",
                    ),
                ),
                (
                    "date_joined",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="date joined"),
                ),
                ("language", models.CharField(blank=True, max_length=8, verbose_name="admin language")),
                ("history_id", models.BigAutoField(editable=False, primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical staff user",
                "verbose_name_plural": "historical staff users",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Invoice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.CharField(max_length=32, unique=True, verbose_name="number")),
                ("issue_date", models.DateField(verbose_name="issue date")),
                ("amount", models.DecimalField(decimal_places=2, max_digits=12, verbose_name="amount (EUR)")),
                ("paid_date", models.DateField(blank=True, null=True, verbose_name="paid on")),
                (
                    "outstanding_debt",
                    models.DecimalField(
                        decimal_places=2, default=0, max_digits=12, verbose_name="outstanding debt (EUR)"
                    ),
                ),
                ("payer_name", models.CharField(blank=True, max_length=200, verbose_name="payer name")),
                ("billing_address", models.TextField(blank=True, verbose_name="billing address")),
                ("bank_account", models.CharField(blank=True, max_length=34, verbose_name="bank account")),
                (
                    "restricted_at",
                    models.DateTimeField(
                        blank=True, editable=False, null=True, verbose_name="restricted since"
                    ),
                ),
                (
                    "contract",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="invoices",
                        to="privacy.contract",
                        verbose_name="contract",
                    ),
                ),
                (
                    "customer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="invoices",
                        to="privacy.customer",
                        verbose_name="customer",
                    ),
                ),
            ],
            options={
                "verbose_name": "invoice",
                "verbose_name_plural": "invoices",
                "ordering": ["-issue_date", "-id"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalDataCategory_legal_bases",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("m2m_history_id", models.BigAutoField(editable=False, primary_key=True, serialize=False)),
                (
                    "datacategory",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="privacy.datacategory",
                    ),
                ),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="privacy.historicaldatacategory",
                    ),
                ),
                (
                    "legalbasis",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="privacy.legalbasis",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalDataCategory_legal_bases",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="LegalHold",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("object_id", models.CharField(blank=True, max_length=64, verbose_name="record id")),
                ("reason", models.TextField(verbose_name="reason")),
                ("set_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="set at")),
                (
                    "until",
                    models.DateField(
                        blank=True, help_text="Empty: until released.", null=True, verbose_name="until"
                    ),
                ),
                ("released_at", models.DateTimeField(blank=True, null=True, verbose_name="released at")),
                (
                    "content_type",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="contenttypes.contenttype",
                        verbose_name="record type",
                    ),
                ),
                (
                    "customer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="legal_holds",
                        to="privacy.customer",
                        verbose_name="customer",
                    ),
                ),
                (
                    "set_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="set by",
                    ),
                ),
            ],
            options={
                "verbose_name": "legal hold",
                "verbose_name_plural": "legal holds",
                "ordering": ["-set_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalObjection",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "grounds",
                    models.TextField(
                        blank=True,
                        help_text="Their particular situation, in their words.",
                        verbose_name="the customer's grounds",
                    ),
                ),
                ("request_id", models.BigIntegerField(blank=True, null=True, verbose_name="request id")),
                ("request_reference", models.CharField(blank=True, max_length=100, verbose_name="request")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "received, to be decided"),
                            ("upheld", "upheld: the processing stops"),
                            ("overridden", "overridden by compelling legitimate grounds"),
                            ("withdrawn", "withdrawn by the customer"),
                        ],
                        default="pending",
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
                (
                    "received_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="received at"),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided at")),
                ("decision_reason", models.TextField(blank=True, verbose_name="reason for the decision")),
                ("history_id", models.BigAutoField(editable=False, primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "customer",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="privacy.customer",
                        verbose_name="customer",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="decided by",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "interest",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="privacy.legitimateinterest",
                        verbose_name="processing objected to (§12)",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical objection to processing",
                "verbose_name_plural": "historical objections to processing",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalDataCategory_legitimate_interests",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("m2m_history_id", models.BigAutoField(editable=False, primary_key=True, serialize=False)),
                (
                    "datacategory",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="privacy.datacategory",
                    ),
                ),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="privacy.historicaldatacategory",
                    ),
                ),
                (
                    "legitimateinterest",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="privacy.legitimateinterest",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalDataCategory_legitimate_interests",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Objection",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "grounds",
                    models.TextField(
                        blank=True,
                        help_text="Their particular situation, in their words.",
                        verbose_name="the customer's grounds",
                    ),
                ),
                ("request_id", models.BigIntegerField(blank=True, null=True, verbose_name="request id")),
                ("request_reference", models.CharField(blank=True, max_length=100, verbose_name="request")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "received, to be decided"),
                            ("upheld", "upheld: the processing stops"),
                            ("overridden", "overridden by compelling legitimate grounds"),
                            ("withdrawn", "withdrawn by the customer"),
                        ],
                        default="pending",
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
                (
                    "received_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="received at"),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided at")),
                ("decision_reason", models.TextField(blank=True, verbose_name="reason for the decision")),
                (
                    "customer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="objections",
                        to="privacy.customer",
                        verbose_name="customer",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="decided by",
                    ),
                ),
                (
                    "interest",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="objections",
                        to="privacy.legitimateinterest",
                        verbose_name="processing objected to (§12)",
                    ),
                ),
            ],
            options={
                "verbose_name": "objection to processing",
                "verbose_name_plural": "objections to processing",
                "ordering": ["-received_at", "-id"],
                "permissions": [("decide_objection", "Can decide objections to processing (§38)")],
            },
        ),
        migrations.CreateModel(
            name="ProcessingPurpose",
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
                ("code", models.CharField(max_length=16, unique=True, verbose_name="clause")),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="children",
                        to="privacy.processingpurpose",
                        verbose_name="parent",
                    ),
                ),
            ],
            options={
                "verbose_name": "processing purpose",
                "verbose_name_plural": "processing purposes",
                "ordering": ["code"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalProcessingPurpose",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("name_lv", models.TextField(verbose_name="name (Latvian)")),
                ("name_en", models.TextField(verbose_name="name (English)")),
                ("name_ru", models.TextField(blank=True, verbose_name="name (Russian)")),
                ("code", models.CharField(db_index=True, max_length=16, verbose_name="clause")),
                ("history_id", models.BigAutoField(editable=False, primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="privacy.processingpurpose",
                        verbose_name="parent",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical processing purpose",
                "verbose_name_plural": "historical processing purposes",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalDataCategory_purposes",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("m2m_history_id", models.BigAutoField(editable=False, primary_key=True, serialize=False)),
                (
                    "datacategory",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="privacy.datacategory",
                    ),
                ),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="privacy.historicaldatacategory",
                    ),
                ),
                (
                    "processingpurpose",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="privacy.processingpurpose",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalDataCategory_purposes",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="datacategory",
            name="purposes",
            field=models.ManyToManyField(
                blank=True,
                related_name="data_categories",
                to="privacy.processingpurpose",
                verbose_name="purposes (§9)",
            ),
        ),
        migrations.CreateModel(
            name="Recipient",
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
                ("code", models.SlugField(max_length=48, unique=True, verbose_name="code")),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("processor", "processor"),
                            ("third_party", "third party"),
                            ("authority", "authority"),
                        ],
                        max_length=16,
                        verbose_name="role",
                    ),
                ),
                (
                    "country",
                    models.CharField(
                        blank=True, help_text="ISO 3166 code", max_length=2, verbose_name="country"
                    ),
                ),
                ("third_country", models.BooleanField(default=False, verbose_name="outside the EU/EEA")),
                ("safeguard", models.TextField(blank=True, verbose_name="safeguard for transfer")),
                ("clause", models.CharField(blank=True, max_length=16, verbose_name="clause")),
            ],
            options={
                "verbose_name": "recipient",
                "verbose_name_plural": "recipients",
                "ordering": ["code"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("third_country", False),
                            models.Q(("safeguard", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="recipient_third_country_needs_safeguard",
                        violation_error_message="A recipient outside the EU/EEA needs a safeguard (§28–29).",
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="historicaldisclosure",
            name="recipient",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="privacy.recipient",
                verbose_name="recipient",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalDataCategory_recipients",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("m2m_history_id", models.BigAutoField(editable=False, primary_key=True, serialize=False)),
                (
                    "datacategory",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="privacy.datacategory",
                    ),
                ),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="privacy.historicaldatacategory",
                    ),
                ),
                (
                    "recipient",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="privacy.recipient",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalDataCategory_recipients",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="disclosure",
            name="recipient",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="disclosures",
                to="privacy.recipient",
                verbose_name="recipient",
            ),
        ),
        migrations.AddField(
            model_name="datacategory",
            name="recipients",
            field=models.ManyToManyField(
                blank=True,
                related_name="data_categories",
                to="privacy.recipient",
                verbose_name="recipients (§19–29)",
            ),
        ),
        migrations.CreateModel(
            name="Recording",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("call_audio", "call audio"),
                            ("correspondence", "written correspondence"),
                            ("video", "video"),
                        ],
                        default="call_audio",
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                (
                    "purpose",
                    models.CharField(
                        choices=[
                            ("service", "service provision, maintenance and billing (§33)"),
                            ("contract_evidence", "evidence of an orally concluded contract (§12.9)"),
                            ("consent_evidence", "evidence of a consent given (§12.9)"),
                        ],
                        db_default="service",
                        default="service",
                        help_text="Decides how long it is kept (§33, §12.9). Video is kept by its own rule.",
                        max_length=24,
                        verbose_name="purpose",
                    ),
                ),
                (
                    "channel",
                    models.CharField(
                        choices=[
                            ("phone", "phone"),
                            ("email", "email"),
                            ("portal", "portal"),
                            ("in_person", "in person"),
                            ("chat", "chat"),
                        ],
                        default="phone",
                        max_length=16,
                        verbose_name="channel",
                    ),
                ),
                ("recorded_at", models.DateTimeField(verbose_name="recorded at")),
                ("duration_seconds", models.PositiveIntegerField(default=0, verbose_name="duration (s)")),
                (
                    "file",
                    models.FileField(
                        blank=True,
                        max_length=255,
                        upload_to=privacy.models.recording_upload_to,
                        verbose_name="file",
                    ),
                ),
                (
                    "contract",
                    models.ForeignKey(
                        blank=True,
                        help_text="For evidence of an orally concluded contract (§12.9): kept while it is in force.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="evidence_recordings",
                        to="privacy.contract",
                        verbose_name="contract it proves",
                    ),
                ),
                (
                    "customer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="recordings",
                        to="privacy.customer",
                        verbose_name="customer",
                    ),
                ),
            ],
            options={
                "verbose_name": "recording",
                "verbose_name_plural": "recordings",
                "ordering": ["-recorded_at", "-id"],
                "permissions": [("download_recording", "Can download recording files")],
            },
        ),
        migrations.CreateModel(
            name="SuppressionEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("contact_hash", models.CharField(max_length=64, verbose_name="contact (keyed hash)")),
                (
                    "channel",
                    models.CharField(
                        choices=[("email", "email"), ("sms", "SMS"), ("phone", "phone call")],
                        max_length=8,
                        verbose_name="channel",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="added at"
                    ),
                ),
                (
                    "erasure",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="suppressions",
                        to="privacy.erasurerecord",
                        verbose_name="added by erasure",
                    ),
                ),
            ],
            options={
                "verbose_name": "suppression list entry",
                "verbose_name_plural": "suppression list",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="AccessLog",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="at")),
                (
                    "action",
                    models.CharField(
                        choices=[("download", "download"), ("refused", "refused")],
                        max_length=16,
                        verbose_name="action",
                    ),
                ),
                ("object_label", models.CharField(max_length=100, verbose_name="object type")),
                ("object_id", models.CharField(max_length=64, verbose_name="object id")),
                (
                    "user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="file_accesses",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="staff user",
                    ),
                ),
            ],
            options={
                "verbose_name": "file access",
                "verbose_name_plural": "file access log",
                "ordering": ["-at", "-id"],
                "indexes": [models.Index(fields=["at"], name="accesslog_at")],
            },
        ),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(fields=["personal_code"], name="customer_personal_code"),
        ),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(fields=["last_name", "first_name"], name="customer_name"),
        ),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(fields=["phone"], name="customer_phone"),
        ),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(fields=["email"], name="customer_email"),
        ),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(fields=["portal_user_number"], name="customer_portal_user"),
        ),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(fields=["registered_at"], name="customer_registered_at"),
        ),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(fields=["kind", "lifecycle"], name="customer_kind_lifecycle"),
        ),
        migrations.AddIndex(
            model_name="contract",
            index=models.Index(fields=["customer", "status"], name="contract_customer_status"),
        ),
        migrations.AddIndex(
            model_name="contract",
            index=models.Index(fields=["type", "last_service_use"], name="contract_type_last_use"),
        ),
        migrations.AddIndex(
            model_name="contract",
            index=models.Index(fields=["start_date"], name="contract_start_date"),
        ),
        migrations.AddConstraint(
            model_name="contract",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("end_date__isnull", True), ("end_date__gte", models.F("start_date")), _connector="OR"
                ),
                name="contract_ends_after_start",
            ),
        ),
        migrations.AddIndex(
            model_name="erasurerecord",
            index=models.Index(fields=["created_at"], name="erasure_created_at"),
        ),
        migrations.AddIndex(
            model_name="erasurerecord",
            index=models.Index(fields=["customer_number_hash"], name="erasure_customer_number_hash"),
        ),
        migrations.AddIndex(
            model_name="erasurerecord",
            index=models.Index(fields=["personal_code_hash"], name="erasure_personal_code_hash"),
        ),
        migrations.AddIndex(
            model_name="erasurerecord",
            index=models.Index(fields=["request_id"], name="erasure_request_id"),
        ),
        migrations.AddIndex(
            model_name="erasedrow",
            index=models.Index(fields=["model", "object_id"], name="erased_row_object"),
        ),
        migrations.AddConstraint(
            model_name="erasedrow",
            constraint=models.UniqueConstraint(
                fields=("erasure", "model", "object_id"), name="erased_row_once"
            ),
        ),
        migrations.AddIndex(
            model_name="invoice",
            index=models.Index(fields=["issue_date"], name="invoice_issue_date"),
        ),
        migrations.AddIndex(
            model_name="invoice",
            index=models.Index(fields=["customer", "issue_date"], name="invoice_customer_issue_date"),
        ),
        migrations.AddConstraint(
            model_name="invoice",
            constraint=models.CheckConstraint(
                condition=models.Q(("outstanding_debt__gte", 0)), name="invoice_debt_not_negative"
            ),
        ),
        migrations.AddIndex(
            model_name="legalhold",
            index=models.Index(fields=["content_type", "object_id"], name="legalhold_record"),
        ),
        migrations.AddConstraint(
            model_name="legalhold",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("content_type__isnull", True), ("customer__isnull", False), ("object_id", "")),
                    models.Q(
                        ("content_type__isnull", False),
                        ("customer__isnull", True),
                        models.Q(("object_id", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="legalhold_customer_or_record",
                violation_error_message="A hold is on a customer or on one record, not both.",
            ),
        ),
        migrations.AddIndex(
            model_name="objection",
            index=models.Index(fields=["status"], name="objection_status"),
        ),
        migrations.AddConstraint(
            model_name="objection",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["pending", "upheld"])),
                fields=("customer", "interest"),
                name="objection_one_standing_per_interest",
                violation_error_message="The customer already has a standing objection to this processing.",
            ),
        ),
        migrations.AddConstraint(
            model_name="objection",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "overridden"), _negated=True),
                    models.Q(("decision_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="objection_override_has_reason",
                violation_error_message="Overriding an objection needs the compelling grounds (§38).",
            ),
        ),
        migrations.AddIndex(
            model_name="disclosure",
            index=models.Index(fields=["disclosed_on"], name="disclosure_disclosed_on"),
        ),
        migrations.AddIndex(
            model_name="recording",
            index=models.Index(fields=["recorded_at"], name="recording_recorded_at"),
        ),
        migrations.AddIndex(
            model_name="recording",
            index=models.Index(fields=["customer", "recorded_at"], name="recording_customer_recorded"),
        ),
        migrations.AddIndex(
            model_name="recording",
            index=models.Index(fields=["file"], name="recording_file"),
        ),
        migrations.AddConstraint(
            model_name="suppressionentry",
            constraint=models.UniqueConstraint(
                fields=("channel", "contact_hash"), name="suppression_channel_contact"
            ),
        ),
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(_on_postgresql(POSTGRESQL), _on_postgresql(POSTGRESQL_BACKWARD), elidable=False),
    ]
