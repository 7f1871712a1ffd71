"""The permission that shows special categories (§22, Annex 1 cat. 3).

The staff roles' Groups (privacy/roles.py) were synced here; manage.py sync_reference (privacy/sync.py, run after every migrate) does it now, after the
last migration, when every app's permissions exist. Since then it waits for no migration of the apps
above privacy (consents, requests_app, retention): the squashed 0001, which replaces it, comes before
theirs.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0004_admin_log_object_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="customer",
            options={
                "ordering": ["-id"],
                "permissions": [
                    ("view_special_categories", "Can see special categories of personal data")
                ],
                "verbose_name": "customer",
                "verbose_name_plural": "customers",
            },
        ),
    ]
