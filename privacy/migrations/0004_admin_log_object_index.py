"""An index on the admin's action log by object, so erasure scrubs a log entry without scanning the log.

Moved to 0015 (`CREATE INDEX IF NOT EXISTS`: a database that ran this migration when it created the index
keeps it). This one waited for django.contrib.admin's migrations, whose first needs privacy's staff
model (AUTH_USER_MODEL); the squashed 0001, which replaces it, cannot wait for them.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("privacy", "0003_erasure_records_suppression_restriction")]

    operations = []
