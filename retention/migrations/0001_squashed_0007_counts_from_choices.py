"""Retention rules and their runs: retention 0001–0007 in one.

On a new database Django applies this migration instead of the 9 it replaces (`replaces`): the same
tables, indexes and constraints as those give, in one step (a test database migrates in about 60 % of
the time). A database that applied the old ones records this one as applied and runs nothing; the old
files stay until every database has passed them. Their data steps only change rows an existing database
has: on a new one the sync after migrate (privacy/sync.py) creates the rows as the code has them.
"""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("retention", "0001_rules_and_runs"),
        ("retention", "0002_seed_rules_and_nightly_schedule"),
        ("retention", "0003_data_packages_rule"),
        ("retention", "0004_interrupted_runs_check"),
        ("retention", "0004_rule_scope_fixed_and_unset_periods"),
        ("retention", "0004_security_logs_rule"),
        ("retention", "0005_merge_20261203_1222"),
        ("retention", "0006_merge_20261203_1255"),
        ("retention", "0007_counts_from_choices"),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalRetentionRule",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "code",
                    models.CharField(
                        choices=[
                            ("recordings", "call recordings and correspondence (§33)"),
                            ("prepaid_customers", "prepaid-service customers (§34)"),
                            ("invoices", "invoices (§31, Accounting Law)"),
                            ("audit_history", "audit history (§32)"),
                            ("security_logs", "access and security logs (§32)"),
                            ("former_customers", "customers with no basis left (§31)"),
                            ("data_packages", "data packages answering requests (§31, §42)"),
                            ("evidence_recordings", "recordings kept as evidence (§12.9, §31)"),
                            ("video", "video of events and premises (Annex 1 cat. 25)"),
                            ("other_subjects", "visitors, online users, property owners (§5, §31)"),
                        ],
                        db_index=True,
                        max_length=32,
                        verbose_name="code",
                    ),
                ),
                ("clause", models.CharField(max_length=16, verbose_name="policy clause")),
                ("description", models.TextField(verbose_name="description")),
                (
                    "window_months",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="Empty: the policy gives no period and none is set yet; the rule does nothing.",
                        null=True,
                        verbose_name="window (months)",
                    ),
                ),
                (
                    "fixed",
                    models.BooleanField(
                        default=False,
                        editable=False,
                        help_text="The policy sets the period itself: it cannot be lengthened; only a legal hold keeps longer.",
                        verbose_name="fixed period",
                    ),
                ),
                (
                    "minimum_months",
                    models.PositiveSmallIntegerField(
                        help_text="The window can be lengthened, never shortened below this.",
                        verbose_name="policy minimum (months)",
                    ),
                ),
                (
                    "extended_window_months",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="§32: audit records of heightened-security systems.",
                        null=True,
                        verbose_name="window for high-security records (months)",
                    ),
                ),
                (
                    "extended_minimum_months",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        null=True,
                        verbose_name="policy minimum for high-security records (months)",
                    ),
                ),
                (
                    "counts_from",
                    models.CharField(
                        choices=[
                            ("recorded_at", "recording or correspondence date"),
                            ("last_service_use", "end of the last service use"),
                            ("issue_date", "invoice date"),
                            ("issue_year_end", "end of the calendar year of the invoice date"),
                            ("history_date", "date of the history record"),
                            ("logged_at", "date the log entry was written"),
                            (
                                "last_basis",
                                "end of the last basis (contract, service use, consent, registration)",
                            ),
                            ("answered_on", "date the request was answered"),
                            ("basis_end", "end of the contract or consent the recording proves"),
                            ("registered_at", "registration date"),
                        ],
                        max_length=24,
                        verbose_name="counts from",
                    ),
                ),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("delete", "delete the rows (with their history and files)"),
                            ("anonymise", "anonymise the personal fields"),
                            (
                                "erase",
                                "erase the customer through the catalogue (delete or anonymise each record)",
                            ),
                        ],
                        max_length=16,
                        verbose_name="action",
                    ),
                ),
                (
                    "enabled",
                    models.BooleanField(
                        default=True,
                        help_text="A disabled rule is skipped by the nightly run.",
                        verbose_name="enabled",
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
                "verbose_name": "historical retention rule",
                "verbose_name_plural": "historical retention rules",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="RetentionRule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "code",
                    models.CharField(
                        choices=[
                            ("recordings", "call recordings and correspondence (§33)"),
                            ("prepaid_customers", "prepaid-service customers (§34)"),
                            ("invoices", "invoices (§31, Accounting Law)"),
                            ("audit_history", "audit history (§32)"),
                            ("security_logs", "access and security logs (§32)"),
                            ("former_customers", "customers with no basis left (§31)"),
                            ("data_packages", "data packages answering requests (§31, §42)"),
                            ("evidence_recordings", "recordings kept as evidence (§12.9, §31)"),
                            ("video", "video of events and premises (Annex 1 cat. 25)"),
                            ("other_subjects", "visitors, online users, property owners (§5, §31)"),
                        ],
                        max_length=32,
                        unique=True,
                        verbose_name="code",
                    ),
                ),
                ("clause", models.CharField(max_length=16, verbose_name="policy clause")),
                ("description", models.TextField(verbose_name="description")),
                (
                    "window_months",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="Empty: the policy gives no period and none is set yet; the rule does nothing.",
                        null=True,
                        verbose_name="window (months)",
                    ),
                ),
                (
                    "fixed",
                    models.BooleanField(
                        default=False,
                        editable=False,
                        help_text="The policy sets the period itself: it cannot be lengthened; only a legal hold keeps longer.",
                        verbose_name="fixed period",
                    ),
                ),
                (
                    "minimum_months",
                    models.PositiveSmallIntegerField(
                        help_text="The window can be lengthened, never shortened below this.",
                        verbose_name="policy minimum (months)",
                    ),
                ),
                (
                    "extended_window_months",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="§32: audit records of heightened-security systems.",
                        null=True,
                        verbose_name="window for high-security records (months)",
                    ),
                ),
                (
                    "extended_minimum_months",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        null=True,
                        verbose_name="policy minimum for high-security records (months)",
                    ),
                ),
                (
                    "counts_from",
                    models.CharField(
                        choices=[
                            ("recorded_at", "recording or correspondence date"),
                            ("last_service_use", "end of the last service use"),
                            ("issue_date", "invoice date"),
                            ("issue_year_end", "end of the calendar year of the invoice date"),
                            ("history_date", "date of the history record"),
                            ("logged_at", "date the log entry was written"),
                            (
                                "last_basis",
                                "end of the last basis (contract, service use, consent, registration)",
                            ),
                            ("answered_on", "date the request was answered"),
                            ("basis_end", "end of the contract or consent the recording proves"),
                            ("registered_at", "registration date"),
                        ],
                        max_length=24,
                        verbose_name="counts from",
                    ),
                ),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("delete", "delete the rows (with their history and files)"),
                            ("anonymise", "anonymise the personal fields"),
                            (
                                "erase",
                                "erase the customer through the catalogue (delete or anonymise each record)",
                            ),
                        ],
                        max_length=16,
                        verbose_name="action",
                    ),
                ),
                (
                    "enabled",
                    models.BooleanField(
                        default=True,
                        help_text="A disabled rule is skipped by the nightly run.",
                        verbose_name="enabled",
                    ),
                ),
            ],
            options={
                "verbose_name": "retention rule",
                "verbose_name_plural": "retention rules",
                "ordering": ["id"],
                "permissions": [("run_retentionrule", "Can start a retention sweep from the admin")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("window_months__gte", models.F("minimum_months")), ("window_months__lte", 1200)
                        ),
                        name="retentionrule_window_within_policy",
                        violation_error_message="The window cannot be shorter than the policy's minimum.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("extended_window_months__isnull", True),
                            models.Q(
                                ("extended_window_months__gte", models.F("extended_minimum_months")),
                                ("extended_window_months__gte", models.F("window_months")),
                                ("extended_window_months__lte", 1200),
                            ),
                            _connector="OR",
                        ),
                        name="retentionrule_extended_window_within_policy",
                        violation_error_message="The high-security window cannot be shorter than its minimum or the ordinary window.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("fixed", False), ("window_months", models.F("minimum_months")), _connector="OR"
                        ),
                        name="retentionrule_fixed_window",
                        violation_error_message="The policy fixes this period: it cannot be changed.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("enabled", False), ("window_months__isnull", False), _connector="OR"
                        ),
                        name="retentionrule_enabled_needs_window",
                        violation_error_message="Set the period before switching the rule on.",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="RetentionRun",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("as_of", models.DateField(verbose_name="as of")),
                ("dry_run", models.BooleanField(default=False, verbose_name="dry run")),
                (
                    "trigger",
                    models.CharField(
                        choices=[
                            ("schedule", "nightly schedule"),
                            ("command", "management command"),
                            ("admin", "admin"),
                        ],
                        max_length=16,
                        verbose_name="started by",
                    ),
                ),
                ("task_id", models.CharField(blank=True, max_length=64, verbose_name="task id")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("running", "running"),
                            ("finished", "finished"),
                            ("stopped", "stopped early (time limit or lost lock); the next run continues"),
                            ("interrupted", "interrupted (worker died); the next run continues"),
                            ("failed", "failed"),
                        ],
                        default="running",
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
                ("window_months", models.PositiveSmallIntegerField(verbose_name="window (months)")),
                (
                    "cutoff",
                    models.DateField(
                        help_text="Records counted from this day or earlier were due.", verbose_name="cutoff"
                    ),
                ),
                (
                    "started_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="started at"),
                ),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished at")),
                ("examined", models.PositiveBigIntegerField(default=0, verbose_name="examined")),
                ("deleted", models.PositiveBigIntegerField(default=0, verbose_name="deleted")),
                ("anonymised", models.PositiveBigIntegerField(default=0, verbose_name="anonymised")),
                ("kept", models.PositiveBigIntegerField(default=0, verbose_name="kept")),
                (
                    "kept_by_reason",
                    models.JSONField(blank=True, default=dict, verbose_name="kept, by reason"),
                ),
                ("errors", models.PositiveIntegerField(default=0, verbose_name="errors")),
                (
                    "error_log",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="Error types and database codes, no data.",
                        verbose_name="error log",
                    ),
                ),
                (
                    "details",
                    models.JSONField(
                        blank=True, default=dict, help_text="Counts per model.", verbose_name="details"
                    ),
                ),
                ("chunks", models.PositiveIntegerField(default=0, verbose_name="chunks")),
                (
                    "longest_chunk_ms",
                    models.PositiveIntegerField(default=0, verbose_name="longest transaction (ms)"),
                ),
                (
                    "rule",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="runs",
                        to="retention.retentionrule",
                        verbose_name="rule",
                    ),
                ),
                (
                    "triggered_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="staff member",
                    ),
                ),
            ],
            options={
                "verbose_name": "retention run",
                "verbose_name_plural": "retention runs",
                "ordering": ["-started_at", "-id"],
                "indexes": [
                    models.Index(fields=["rule", "as_of"], name="retentionrun_rule_as_of"),
                    models.Index(fields=["started_at"], name="retentionrun_started_at"),
                    models.Index(fields=["status"], name="retentionrun_status"),
                ],
            },
        ),
    ]
