"""Data-subject requests, letters, data packages and complaints: requests_app 0001–0007 in one.

On a new database Django applies this migration instead of the 9 it replaces (`replaces`): the same
tables, indexes and constraints as those give, in one step (a test database migrates in about 60 % of
the time). A database that applied the old ones records this one as applied and runs nothing; the old
files stay until every database has passed them. Their data steps only change rows an existing database
has: on a new one the sync after migrate (privacy/sync.py) creates the rows as the code has them.
"""

import django.db.models.deletion
import django.utils.timezone
import requests_app.models
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("requests_app", "0001_subject_requests_and_complaints"),
        ("requests_app", "0002_letters_to_customers"),
        ("requests_app", "0003_nightly_deadline_schedule"),
        ("requests_app", "0004_decide_permission"),
        ("requests_app", "0005_answer_addressing_held_across_erasure"),
        ("requests_app", "0005_identity_document_differs"),
        ("requests_app", "0005_request_withheld"),
        ("requests_app", "0006_merge_20261203_1257"),
        ("requests_app", "0007_merge_20261203_1257"),
    ]

    dependencies = [
        ("privacy", "0001_squashed_0014_customer_search_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SubjectRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "type",
                    models.CharField(
                        choices=[
                            ("access", "access"),
                            ("rectification", "rectification"),
                            ("erasure", "erasure"),
                            ("copy", "copy"),
                            ("objection", "objection"),
                            ("restriction", "restriction"),
                            ("portability", "portability"),
                        ],
                        max_length=16,
                        verbose_name="type",
                    ),
                ),
                (
                    "channel",
                    models.CharField(
                        choices=[
                            ("in_person", "in person (§40.1)"),
                            ("email", "e-signed email (§40.2)"),
                            ("portal", "Mans Balticom (§40.3)"),
                        ],
                        help_text="§40: in person with an identity document; email signed with a qualified e-signature; authenticated in Mans Balticom.",
                        max_length=16,
                        verbose_name="channel",
                    ),
                ),
                (
                    "requester_name",
                    models.CharField(blank=True, max_length=200, verbose_name="requester's name"),
                ),
                (
                    "requester_email",
                    models.EmailField(blank=True, max_length=254, verbose_name="requester's email"),
                ),
                (
                    "requester_phone",
                    models.CharField(blank=True, max_length=32, verbose_name="requester's phone"),
                ),
                ("requester_address", models.TextField(blank=True, verbose_name="requester's address")),
                ("details", models.TextField(blank=True, verbose_name="what is asked")),
                (
                    "preferred_answer_method",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("registered_letter", "registered letter to the contact address"),
                            ("portal", "in Mans Balticom"),
                            ("in_person", "handed over in person"),
                        ],
                        max_length=24,
                        verbose_name="answer wanted by",
                    ),
                ),
                (
                    "flag_action",
                    models.CharField(
                        blank=True,
                        choices=[("", "—"), ("set", "set"), ("lift", "lift")],
                        help_text="Restriction and objection requests: set the flag on the customer, or lift it.",
                        max_length=8,
                        verbose_name="restriction/objection",
                    ),
                ),
                (
                    "received_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="received at"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("received", "received"),
                            ("identity_verified", "identity verified"),
                            ("in_evaluation", "in evaluation"),
                            ("fulfilled", "fulfilled"),
                            ("partly_fulfilled", "partly fulfilled"),
                            ("refused", "refused"),
                            ("answered", "answered"),
                        ],
                        default="received",
                        max_length=24,
                        verbose_name="status",
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "not decided"),
                            ("fulfilled", "fulfilled"),
                            ("partly_fulfilled", "partly fulfilled"),
                            ("refused", "refused"),
                        ],
                        max_length=24,
                        verbose_name="outcome",
                    ),
                ),
                (
                    "due_at",
                    models.DateField(help_text="One calendar month after receipt.", verbose_name="due"),
                ),
                (
                    "extension_months",
                    models.PositiveSmallIntegerField(default=0, verbose_name="extended by (months)"),
                ),
                (
                    "extended_due_at",
                    models.DateField(blank=True, null=True, verbose_name="extended deadline"),
                ),
                ("extension_reason", models.TextField(blank=True, verbose_name="reason for the extension")),
                (
                    "extension_notified_on",
                    models.DateField(blank=True, null=True, verbose_name="customer told of the extension on"),
                ),
                (
                    "deadline_flag",
                    models.CharField(
                        blank=True,
                        choices=[("", "on time"), ("due_soon", "due within 7 days"), ("overdue", "overdue")],
                        max_length=16,
                        verbose_name="deadline flag",
                    ),
                ),
                (
                    "deadline_flagged_on",
                    models.DateField(blank=True, null=True, verbose_name="deadline flag changed on"),
                ),
                (
                    "verified_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="identity verified at"),
                ),
                (
                    "identity_document_type",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("passport", "passport"),
                            ("id_card", "identity card (eID)"),
                            ("residence_permit", "residence permit"),
                        ],
                        max_length=24,
                        verbose_name="identity document type",
                    ),
                ),
                (
                    "identity_document_number",
                    models.CharField(blank=True, max_length=32, verbose_name="identity document number"),
                ),
                (
                    "identity_document_differs",
                    models.BooleanField(
                        default=False,
                        help_text="The number of the document checked is not the one on the customer's record (§41).",
                        verbose_name="document differs from the customer's record",
                    ),
                ),
                (
                    "identity_mismatch_reason",
                    models.TextField(
                        blank=True,
                        help_text="Required when the document differs from the customer's record (a new passport, say).",
                        verbose_name="why the differing document was accepted",
                    ),
                ),
                (
                    "signature_validation",
                    models.TextField(
                        blank=True,
                        help_text="How the qualified e-signature was validated (validator and its result).",
                        verbose_name="e-signature validation",
                    ),
                ),
                (
                    "portal_session_id",
                    models.CharField(blank=True, max_length=128, verbose_name="portal session id"),
                ),
                (
                    "evaluation_started_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="evaluation started at"),
                ),
                (
                    "withheld",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="What the answer does not reveal and why: counts and reasons, no personal data.",
                        verbose_name="withheld from the answer (§39)",
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided at")),
                ("outcome_notes", models.TextField(blank=True, verbose_name="what was done")),
                ("refusal_reason", models.TextField(blank=True, verbose_name="reason for refusal (§39)")),
                (
                    "flag_applied_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="customer flag changed at"),
                ),
                (
                    "erasure_approved_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="erasure approved at"),
                ),
                (
                    "erasure_preview",
                    models.JSONField(
                        blank=True,
                        help_text="What would be erased and kept.",
                        null=True,
                        verbose_name="dry run seen at approval",
                    ),
                ),
                ("erasure_result", models.JSONField(blank=True, null=True, verbose_name="erasure result")),
                (
                    "answer_recipient_name",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="answer addressed to (held until answered)"
                    ),
                ),
                (
                    "answer_recipient_address",
                    models.TextField(blank=True, verbose_name="answer postal address (held until answered)"),
                ),
                (
                    "answer_language",
                    models.CharField(
                        blank=True,
                        choices=[("lv", "Latvian"), ("ru", "Russian"), ("en", "English")],
                        max_length=2,
                        verbose_name="answer language (held until answered)",
                    ),
                ),
                (
                    "answer_method",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("registered_letter", "registered letter to the contact address"),
                            ("portal", "in Mans Balticom"),
                            ("in_person", "handed over in person"),
                        ],
                        max_length=24,
                        verbose_name="answer delivered by",
                    ),
                ),
                ("answered_on", models.DateField(blank=True, null=True, verbose_name="answered on")),
                (
                    "answered_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="answered by",
                    ),
                ),
                (
                    "customer",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty until the requester is matched to a customer (at the latest when verified).",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="subject_requests",
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
                    "erasure_approved_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="erasure approved by",
                    ),
                ),
                (
                    "evaluated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="evaluated by",
                    ),
                ),
                (
                    "extended_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="extended by",
                    ),
                ),
                (
                    "lifts_request",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="lifted_by",
                        to="requests_app.subjectrequest",
                        verbose_name="lifts the flag set by",
                    ),
                ),
                (
                    "registered_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="registered by",
                    ),
                ),
                (
                    "verified_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="identity verified by",
                    ),
                ),
            ],
            options={
                "verbose_name": "data-subject request",
                "verbose_name_plural": "data-subject requests",
                "ordering": ["-received_at", "-id"],
                "permissions": [
                    ("approve_erasure", "Can approve an erasure (second pair of eyes)"),
                    (
                        "decide_subjectrequest",
                        "Can decide data-subject requests (evaluate, extend, correct, fulfil, refuse, answer)",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="RectificationChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("field_name", models.CharField(max_length=64, verbose_name="field")),
                ("old_value", models.TextField(blank=True, verbose_name="before")),
                ("new_value", models.TextField(blank=True, verbose_name="after")),
                (
                    "customer_history_id",
                    models.BigIntegerField(
                        help_text="The customer's history row with the correction.",
                        null=True,
                        verbose_name="customer history row",
                    ),
                ),
                (
                    "applied_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="applied at"),
                ),
                (
                    "applied_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="applied by",
                    ),
                ),
                (
                    "request",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="rectifications",
                        to="requests_app.subjectrequest",
                        verbose_name="request",
                    ),
                ),
            ],
            options={
                "verbose_name": "rectification",
                "verbose_name_plural": "rectifications",
                "ordering": ["applied_at", "id"],
            },
        ),
        migrations.CreateModel(
            name="Letter",
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
                            ("acknowledgement", "acknowledgement of receipt"),
                            ("extension", "extension notice (GDPR Art. 12(3))"),
                            ("refusal", "refusal with reasons (§39, §44)"),
                            ("answer", "answer cover letter (§42)"),
                        ],
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[("lv", "Latvian"), ("ru", "Russian"), ("en", "English")],
                        max_length=2,
                        verbose_name="language",
                    ),
                ),
                (
                    "pdf",
                    models.FileField(
                        max_length=255, upload_to=requests_app.models.letter_upload_to, verbose_name="PDF"
                    ),
                ),
                (
                    "html",
                    models.FileField(
                        max_length=255, upload_to=requests_app.models.letter_upload_to, verbose_name="HTML"
                    ),
                ),
                ("pdf_sha256", models.CharField(max_length=64, verbose_name="SHA-256 of the PDF")),
                (
                    "postable",
                    models.BooleanField(
                        default=False,
                        help_text="Only a letter with the recipient's address can go by registered letter (§42).",
                        verbose_name="has a postal address",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="generated at"),
                ),
                ("sent_on", models.DateField(blank=True, null=True, verbose_name="sent on")),
                (
                    "sent_method",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("registered_letter", "registered letter to the contact address"),
                            ("portal", "in Mans Balticom"),
                            ("in_person", "handed over in person"),
                        ],
                        max_length=24,
                        verbose_name="sent as",
                    ),
                ),
                (
                    "tracking_number",
                    models.CharField(blank=True, max_length=64, verbose_name="registered-mail number"),
                ),
                (
                    "sent_recorded_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="sending recorded at"),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="generated by",
                    ),
                ),
                (
                    "sent_recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="sending recorded by",
                    ),
                ),
                (
                    "request",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="letters",
                        to="requests_app.subjectrequest",
                        verbose_name="request",
                    ),
                ),
            ],
            options={
                "verbose_name": "letter to the customer",
                "verbose_name_plural": "letters to the customer",
                "ordering": ["created_at", "id"],
                "permissions": [("download_letter", "Can download letters to customers")],
            },
        ),
        migrations.CreateModel(
            name="HistoricalSubjectRequest",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "type",
                    models.CharField(
                        choices=[
                            ("access", "access"),
                            ("rectification", "rectification"),
                            ("erasure", "erasure"),
                            ("copy", "copy"),
                            ("objection", "objection"),
                            ("restriction", "restriction"),
                            ("portability", "portability"),
                        ],
                        max_length=16,
                        verbose_name="type",
                    ),
                ),
                (
                    "channel",
                    models.CharField(
                        choices=[
                            ("in_person", "in person (§40.1)"),
                            ("email", "e-signed email (§40.2)"),
                            ("portal", "Mans Balticom (§40.3)"),
                        ],
                        help_text="§40: in person with an identity document; email signed with a qualified e-signature; authenticated in Mans Balticom.",
                        max_length=16,
                        verbose_name="channel",
                    ),
                ),
                (
                    "requester_name",
                    models.CharField(blank=True, max_length=200, verbose_name="requester's name"),
                ),
                (
                    "requester_email",
                    models.EmailField(blank=True, max_length=254, verbose_name="requester's email"),
                ),
                (
                    "requester_phone",
                    models.CharField(blank=True, max_length=32, verbose_name="requester's phone"),
                ),
                ("requester_address", models.TextField(blank=True, verbose_name="requester's address")),
                ("details", models.TextField(blank=True, verbose_name="what is asked")),
                (
                    "preferred_answer_method",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("registered_letter", "registered letter to the contact address"),
                            ("portal", "in Mans Balticom"),
                            ("in_person", "handed over in person"),
                        ],
                        max_length=24,
                        verbose_name="answer wanted by",
                    ),
                ),
                (
                    "flag_action",
                    models.CharField(
                        blank=True,
                        choices=[("", "—"), ("set", "set"), ("lift", "lift")],
                        help_text="Restriction and objection requests: set the flag on the customer, or lift it.",
                        max_length=8,
                        verbose_name="restriction/objection",
                    ),
                ),
                (
                    "received_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="received at"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("received", "received"),
                            ("identity_verified", "identity verified"),
                            ("in_evaluation", "in evaluation"),
                            ("fulfilled", "fulfilled"),
                            ("partly_fulfilled", "partly fulfilled"),
                            ("refused", "refused"),
                            ("answered", "answered"),
                        ],
                        default="received",
                        max_length=24,
                        verbose_name="status",
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "not decided"),
                            ("fulfilled", "fulfilled"),
                            ("partly_fulfilled", "partly fulfilled"),
                            ("refused", "refused"),
                        ],
                        max_length=24,
                        verbose_name="outcome",
                    ),
                ),
                (
                    "due_at",
                    models.DateField(help_text="One calendar month after receipt.", verbose_name="due"),
                ),
                (
                    "extension_months",
                    models.PositiveSmallIntegerField(default=0, verbose_name="extended by (months)"),
                ),
                (
                    "extended_due_at",
                    models.DateField(blank=True, null=True, verbose_name="extended deadline"),
                ),
                ("extension_reason", models.TextField(blank=True, verbose_name="reason for the extension")),
                (
                    "extension_notified_on",
                    models.DateField(blank=True, null=True, verbose_name="customer told of the extension on"),
                ),
                (
                    "deadline_flag",
                    models.CharField(
                        blank=True,
                        choices=[("", "on time"), ("due_soon", "due within 7 days"), ("overdue", "overdue")],
                        max_length=16,
                        verbose_name="deadline flag",
                    ),
                ),
                (
                    "deadline_flagged_on",
                    models.DateField(blank=True, null=True, verbose_name="deadline flag changed on"),
                ),
                (
                    "verified_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="identity verified at"),
                ),
                (
                    "identity_document_type",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("passport", "passport"),
                            ("id_card", "identity card (eID)"),
                            ("residence_permit", "residence permit"),
                        ],
                        max_length=24,
                        verbose_name="identity document type",
                    ),
                ),
                (
                    "identity_document_number",
                    models.CharField(blank=True, max_length=32, verbose_name="identity document number"),
                ),
                (
                    "identity_document_differs",
                    models.BooleanField(
                        default=False,
                        help_text="The number of the document checked is not the one on the customer's record (§41).",
                        verbose_name="document differs from the customer's record",
                    ),
                ),
                (
                    "identity_mismatch_reason",
                    models.TextField(
                        blank=True,
                        help_text="Required when the document differs from the customer's record (a new passport, say).",
                        verbose_name="why the differing document was accepted",
                    ),
                ),
                (
                    "signature_validation",
                    models.TextField(
                        blank=True,
                        help_text="How the qualified e-signature was validated (validator and its result).",
                        verbose_name="e-signature validation",
                    ),
                ),
                (
                    "portal_session_id",
                    models.CharField(blank=True, max_length=128, verbose_name="portal session id"),
                ),
                (
                    "evaluation_started_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="evaluation started at"),
                ),
                (
                    "withheld",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="What the answer does not reveal and why: counts and reasons, no personal data.",
                        verbose_name="withheld from the answer (§39)",
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided at")),
                ("outcome_notes", models.TextField(blank=True, verbose_name="what was done")),
                ("refusal_reason", models.TextField(blank=True, verbose_name="reason for refusal (§39)")),
                (
                    "flag_applied_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="customer flag changed at"),
                ),
                (
                    "erasure_approved_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="erasure approved at"),
                ),
                (
                    "erasure_preview",
                    models.JSONField(
                        blank=True,
                        help_text="What would be erased and kept.",
                        null=True,
                        verbose_name="dry run seen at approval",
                    ),
                ),
                ("erasure_result", models.JSONField(blank=True, null=True, verbose_name="erasure result")),
                (
                    "answer_recipient_name",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="answer addressed to (held until answered)"
                    ),
                ),
                (
                    "answer_recipient_address",
                    models.TextField(blank=True, verbose_name="answer postal address (held until answered)"),
                ),
                (
                    "answer_language",
                    models.CharField(
                        blank=True,
                        choices=[("lv", "Latvian"), ("ru", "Russian"), ("en", "English")],
                        max_length=2,
                        verbose_name="answer language (held until answered)",
                    ),
                ),
                (
                    "answer_method",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("registered_letter", "registered letter to the contact address"),
                            ("portal", "in Mans Balticom"),
                            ("in_person", "handed over in person"),
                        ],
                        max_length=24,
                        verbose_name="answer delivered by",
                    ),
                ),
                ("answered_on", models.DateField(blank=True, null=True, verbose_name="answered on")),
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
                    "answered_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="answered by",
                    ),
                ),
                (
                    "customer",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="Empty until the requester is matched to a customer (at the latest when verified).",
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
                    "erasure_approved_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="erasure approved by",
                    ),
                ),
                (
                    "evaluated_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="evaluated by",
                    ),
                ),
                (
                    "extended_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="extended by",
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
                    "registered_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="registered by",
                    ),
                ),
                (
                    "verified_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="identity verified by",
                    ),
                ),
                (
                    "lifts_request",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="requests_app.subjectrequest",
                        verbose_name="lifts the flag set by",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical data-subject request",
                "verbose_name_plural": "historical data-subject requests",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalRectificationChange",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("field_name", models.CharField(max_length=64, verbose_name="field")),
                ("old_value", models.TextField(blank=True, verbose_name="before")),
                ("new_value", models.TextField(blank=True, verbose_name="after")),
                (
                    "customer_history_id",
                    models.BigIntegerField(
                        help_text="The customer's history row with the correction.",
                        null=True,
                        verbose_name="customer history row",
                    ),
                ),
                (
                    "applied_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="applied at"),
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
                    "applied_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="applied by",
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
                    "request",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="requests_app.subjectrequest",
                        verbose_name="request",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical rectification",
                "verbose_name_plural": "historical rectifications",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalLetter",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("acknowledgement", "acknowledgement of receipt"),
                            ("extension", "extension notice (GDPR Art. 12(3))"),
                            ("refusal", "refusal with reasons (§39, §44)"),
                            ("answer", "answer cover letter (§42)"),
                        ],
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[("lv", "Latvian"), ("ru", "Russian"), ("en", "English")],
                        max_length=2,
                        verbose_name="language",
                    ),
                ),
                ("pdf", models.TextField(max_length=255, verbose_name="PDF")),
                ("html", models.TextField(max_length=255, verbose_name="HTML")),
                ("pdf_sha256", models.CharField(max_length=64, verbose_name="SHA-256 of the PDF")),
                (
                    "postable",
                    models.BooleanField(
                        default=False,
                        help_text="Only a letter with the recipient's address can go by registered letter (§42).",
                        verbose_name="has a postal address",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="generated at"),
                ),
                ("sent_on", models.DateField(blank=True, null=True, verbose_name="sent on")),
                (
                    "sent_method",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("registered_letter", "registered letter to the contact address"),
                            ("portal", "in Mans Balticom"),
                            ("in_person", "handed over in person"),
                        ],
                        max_length=24,
                        verbose_name="sent as",
                    ),
                ),
                (
                    "tracking_number",
                    models.CharField(blank=True, max_length=64, verbose_name="registered-mail number"),
                ),
                (
                    "sent_recorded_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="sending recorded at"),
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
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="generated by",
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
                    "sent_recorded_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="sending recorded by",
                    ),
                ),
                (
                    "request",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="requests_app.subjectrequest",
                        verbose_name="request",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical letter to the customer",
                "verbose_name_plural": "historical letters to the customer",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalExportPackage",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("file", models.TextField(max_length=255, verbose_name="file")),
                ("size_bytes", models.PositiveBigIntegerField(default=0, verbose_name="size (bytes)")),
                ("sha256", models.CharField(max_length=64, verbose_name="SHA-256")),
                (
                    "includes_files",
                    models.BooleanField(default=False, verbose_name="includes recording files"),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="created at"),
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
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
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
                    "request",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="requests_app.subjectrequest",
                        verbose_name="request",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical data package",
                "verbose_name_plural": "historical data packages",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalComplaint",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "complainant_name",
                    models.CharField(blank=True, max_length=200, verbose_name="complainant's name"),
                ),
                ("complainant_contact", models.TextField(blank=True, verbose_name="complainant's contact")),
                (
                    "received_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="received at"),
                ),
                ("description", models.TextField(verbose_name="complaint")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "open, with the data protection officer"),
                            ("resolved", "resolved by the data protection officer"),
                            ("escalated", "escalated to Datu valsts inspekcija"),
                            ("closed", "closed after the inspectorate's decision"),
                        ],
                        default="open",
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
                ("resolution", models.TextField(blank=True, verbose_name="resolution")),
                ("resolved_on", models.DateField(blank=True, null=True, verbose_name="resolved on")),
                (
                    "escalated_on",
                    models.DateField(
                        blank=True, null=True, verbose_name="complained to Datu valsts inspekcija on"
                    ),
                ),
                (
                    "authority_reference",
                    models.CharField(blank=True, max_length=64, verbose_name="inspectorate's case number"),
                ),
                (
                    "authority_replied_on",
                    models.DateField(blank=True, null=True, verbose_name="our reply to the inspectorate on"),
                ),
                ("authority_decision", models.TextField(blank=True, verbose_name="inspectorate's decision")),
                (
                    "authority_decided_on",
                    models.DateField(blank=True, null=True, verbose_name="inspectorate decided on"),
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
                    "handled_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="data protection officer",
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
                    "registered_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="registered by",
                    ),
                ),
                (
                    "request",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="requests_app.subjectrequest",
                        verbose_name="about request",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical complaint",
                "verbose_name_plural": "historical complaints",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="ExportPackage",
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
                        max_length=255, upload_to=requests_app.models.package_upload_to, verbose_name="file"
                    ),
                ),
                ("size_bytes", models.PositiveBigIntegerField(default=0, verbose_name="size (bytes)")),
                ("sha256", models.CharField(max_length=64, verbose_name="SHA-256")),
                (
                    "includes_files",
                    models.BooleanField(default=False, verbose_name="includes recording files"),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="created at"),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
                    ),
                ),
                (
                    "request",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="packages",
                        to="requests_app.subjectrequest",
                        verbose_name="request",
                    ),
                ),
            ],
            options={
                "verbose_name": "data package",
                "verbose_name_plural": "data packages",
                "ordering": ["-created_at", "-id"],
                "permissions": [("download_exportpackage", "Can download a subject's data package")],
            },
        ),
        migrations.CreateModel(
            name="Complaint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "complainant_name",
                    models.CharField(blank=True, max_length=200, verbose_name="complainant's name"),
                ),
                ("complainant_contact", models.TextField(blank=True, verbose_name="complainant's contact")),
                (
                    "received_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="received at"),
                ),
                ("description", models.TextField(verbose_name="complaint")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "open, with the data protection officer"),
                            ("resolved", "resolved by the data protection officer"),
                            ("escalated", "escalated to Datu valsts inspekcija"),
                            ("closed", "closed after the inspectorate's decision"),
                        ],
                        default="open",
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
                ("resolution", models.TextField(blank=True, verbose_name="resolution")),
                ("resolved_on", models.DateField(blank=True, null=True, verbose_name="resolved on")),
                (
                    "escalated_on",
                    models.DateField(
                        blank=True, null=True, verbose_name="complained to Datu valsts inspekcija on"
                    ),
                ),
                (
                    "authority_reference",
                    models.CharField(blank=True, max_length=64, verbose_name="inspectorate's case number"),
                ),
                (
                    "authority_replied_on",
                    models.DateField(blank=True, null=True, verbose_name="our reply to the inspectorate on"),
                ),
                ("authority_decision", models.TextField(blank=True, verbose_name="inspectorate's decision")),
                (
                    "authority_decided_on",
                    models.DateField(blank=True, null=True, verbose_name="inspectorate decided on"),
                ),
                (
                    "customer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="complaints",
                        to="privacy.customer",
                        verbose_name="customer",
                    ),
                ),
                (
                    "handled_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="data protection officer",
                    ),
                ),
                (
                    "registered_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="registered by",
                    ),
                ),
                (
                    "request",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="complaints",
                        to="requests_app.subjectrequest",
                        verbose_name="about request",
                    ),
                ),
            ],
            options={
                "verbose_name": "complaint",
                "verbose_name_plural": "complaints",
                "ordering": ["-received_at", "-id"],
                "permissions": [("handle_complaint", "Can handle complaints as the data protection officer")],
            },
        ),
        migrations.AddIndex(
            model_name="subjectrequest",
            index=models.Index(fields=["status", "due_at"], name="subjectrequest_status_due"),
        ),
        migrations.AddIndex(
            model_name="subjectrequest",
            index=models.Index(fields=["received_at"], name="subjectrequest_received_at"),
        ),
        migrations.AddIndex(
            model_name="subjectrequest",
            index=models.Index(fields=["answered_on"], name="subjectrequest_answered_on"),
        ),
        migrations.AddIndex(
            model_name="subjectrequest",
            index=models.Index(fields=["type", "status"], name="subjectrequest_type_status"),
        ),
        migrations.AddConstraint(
            model_name="subjectrequest",
            constraint=models.CheckConstraint(
                condition=models.Q(("extension_months__lte", 2)),
                name="subjectrequest_extension_at_most_two_months",
                violation_error_message="A deadline can be extended by two further months at most.",
            ),
        ),
        migrations.AddConstraint(
            model_name="subjectrequest",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("outcome", "refused"), _negated=True),
                    models.Q(("refusal_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="subjectrequest_refusal_has_reason",
                violation_error_message="A refusal needs its reason (§39).",
            ),
        ),
        migrations.AddConstraint(
            model_name="subjectrequest",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("outcome__in", ["fulfilled", "partly_fulfilled"]), _negated=True),
                    ("verified_at__isnull", False),
                    _connector="OR",
                ),
                name="subjectrequest_fulfilled_only_when_verified",
                violation_error_message="Nothing is fulfilled before the identity is verified (§41).",
            ),
        ),
        migrations.AddConstraint(
            model_name="subjectrequest",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "answered"), _negated=True),
                    models.Q(models.Q(("answer_method", ""), _negated=True), ("answered_on__isnull", False)),
                    _connector="OR",
                ),
                name="subjectrequest_answer_has_method_and_date",
                violation_error_message="An answer needs its delivery method and date (§42).",
            ),
        ),
        migrations.AddConstraint(
            model_name="letter",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("sent_on__isnull", True), ("sent_method", "")),
                    models.Q(("sent_on__isnull", False), models.Q(("sent_method", ""), _negated=True)),
                    _connector="OR",
                ),
                name="letter_sent_has_method_and_date",
                violation_error_message="A sent letter needs both the date and the way it was sent (§42).",
            ),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(fields=["status", "received_at"], name="complaint_status_received"),
        ),
        migrations.AddConstraint(
            model_name="complaint",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "resolved"), _negated=True),
                    models.Q(models.Q(("resolution", ""), _negated=True), ("resolved_on__isnull", False)),
                    _connector="OR",
                ),
                name="complaint_resolution_recorded",
                violation_error_message="A resolved complaint needs the resolution and its date.",
            ),
        ),
        migrations.AddConstraint(
            model_name="complaint",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status__in", ["escalated", "closed"]), _negated=True),
                    ("escalated_on__isnull", False),
                    _connector="OR",
                ),
                name="complaint_escalation_dated",
                violation_error_message="An escalation needs the date (§44).",
            ),
        ),
    ]
