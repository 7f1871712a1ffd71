"""The permission that shows special categories (§22, Annex 1 cat. 3).

The staff roles' Groups (privacy/roles.py) were synced here; manage.py sync_reference (privacy/sync.py, run after every migrate) does it now, after the
last migration, when every app's permissions exist.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0004_admin_log_object_index"),
        ("consents", "0002_consent_topics"),
        ("requests_app", "0002_letters_to_customers"),
        ("retention", "0002_seed_rules_and_nightly_schedule"),
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
