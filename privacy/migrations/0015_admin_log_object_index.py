"""An index on the admin's action log by object, so erasure scrubs a log entry without scanning the log.

Written first in 0004, which the squashed 0001 replaces; it is here on its own because
`django_admin_log` belongs to django.contrib.admin, whose first migration needs privacy's staff model
(AUTH_USER_MODEL): the squashed migration cannot wait for it. On a database that ran 0004 the index
exists and nothing changes.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("privacy", "0001_squashed_0014_customer_search_name"),
    ]

    operations = [
        migrations.RunSQL(
            sql="CREATE INDEX IF NOT EXISTS privacy_admin_log_object ON django_admin_log (content_type_id, object_id)",
            reverse_sql="DROP INDEX IF EXISTS privacy_admin_log_object",
        ),
    ]
