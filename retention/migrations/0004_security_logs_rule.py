"""§32: the access and security logs get their retention rule (security_logs, created with its nightly
sweep by `manage.py sync_reference`); the audit_history rule's description says what a
heightened-security system keeps (18 months) when staff had not changed it.
"""

from django.db import migrations, models
from django.utils import timezone

OLD_AUDIT_DESCRIPTION = (
    "Audit records (history rows): deleted 12 months after they were written, 18 months for "
    "high-security records (recordings, special-category and access data; see "
    "RETENTION_HIGH_SECURITY_MODELS)."
)
#: Frozen: the migration does not read retention/rules.py.
NEW_AUDIT_DESCRIPTION = ('Audit records (history rows): deleted 18 months after they were written, this back-office being '
 'a heightened-security system (RETENTION_HEIGHTENED_SECURITY_SYSTEM; 12 months where it is not, '
 "except for high-security records). A deleted record's history stays until then, without its "
 'personal fields.')


def describe(apps, schema_editor):
    """The audit_history rule's new description where staff had not changed it (the security_logs rule
    and its sweep are created by `manage.py sync_reference`, run after every migrate)."""
    RetentionRule = apps.get_model("retention", "RetentionRule")
    HistoricalRetentionRule = apps.get_model("retention", "HistoricalRetentionRule")
    rule = RetentionRule.objects.filter(code="audit_history", description=OLD_AUDIT_DESCRIPTION).first()
    if rule is None:
        return
    rule.description = NEW_AUDIT_DESCRIPTION
    rule.save(update_fields=["description"])
    HistoricalRetentionRule.objects.create(
        **{f.attname: getattr(rule, f.attname) for f in RetentionRule._meta.concrete_fields},
        history_date=timezone.now(),
        history_type="~",
        history_change_reason="§32: a heightened-security system keeps its audit records 18 months",
    )


class Migration(migrations.Migration):

    dependencies = [
        ('retention', '0003_data_packages_rule'),
        ('django_celery_beat', '0019_alter_periodictasks_options'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalretentionrule',
            name='code',
            field=models.CharField(choices=[('recordings', 'call recordings and correspondence (§33)'), ('prepaid_customers', 'prepaid-service customers (§34)'), ('invoices', 'invoices (§31, Accounting Law)'), ('audit_history', 'audit history (§32)'), ('security_logs', 'access and security logs (§32)'), ('former_customers', 'customers with no basis left (§31)'), ('data_packages', 'data packages answering requests (§31, §42)')], db_index=True, max_length=32, verbose_name='code'),
        ),
        migrations.AlterField(
            model_name='historicalretentionrule',
            name='counts_from',
            field=models.CharField(choices=[('recorded_at', 'recording or correspondence date'), ('last_service_use', 'end of the last service use'), ('issue_date', 'invoice date'), ('history_date', 'date of the history record'), ('logged_at', 'date the log entry was written'), ('last_basis', 'end of the last basis (registration, contract, invoice)'), ('answered_on', 'date the request was answered')], max_length=24, verbose_name='counts from'),
        ),
        migrations.AlterField(
            model_name='retentionrule',
            name='code',
            field=models.CharField(choices=[('recordings', 'call recordings and correspondence (§33)'), ('prepaid_customers', 'prepaid-service customers (§34)'), ('invoices', 'invoices (§31, Accounting Law)'), ('audit_history', 'audit history (§32)'), ('security_logs', 'access and security logs (§32)'), ('former_customers', 'customers with no basis left (§31)'), ('data_packages', 'data packages answering requests (§31, §42)')], max_length=32, unique=True, verbose_name='code'),
        ),
        migrations.AlterField(
            model_name='retentionrule',
            name='counts_from',
            field=models.CharField(choices=[('recorded_at', 'recording or correspondence date'), ('last_service_use', 'end of the last service use'), ('issue_date', 'invoice date'), ('history_date', 'date of the history record'), ('logged_at', 'date the log entry was written'), ('last_basis', 'end of the last basis (registration, contract, invoice)'), ('answered_on', 'date the request was answered')], max_length=24, verbose_name='counts from'),
        ),
        migrations.RunPython(describe, migrations.RunPython.noop),
    ]
