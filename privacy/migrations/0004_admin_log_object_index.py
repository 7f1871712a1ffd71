"""An index on the admin's action log by object, so erasure scrubs a log entry without scanning the log.

`django_admin_log` belongs to django.contrib.admin; the index is created here because the privacy app's
erasure (issue 5 item 7) is what queries it by (content_type_id, object_id) for every purged chunk.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("privacy", "0003_erasure_records_suppression_restriction"),
    ]

    operations = [
        migrations.RunSQL(
            sql="CREATE INDEX IF NOT EXISTS privacy_admin_log_object ON django_admin_log (content_type_id, object_id)",
            reverse_sql="DROP INDEX IF EXISTS privacy_admin_log_object",
        ),
    ]
