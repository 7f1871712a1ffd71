"""Staff roles as Groups (issue 7; §22, Annex 1 cat. 3 and 26–27): the permission matrix of
privacy/roles.py, and the permission that shows special categories.

Permissions are normally created after the last migration (post_migrate), too late to assign them here,
so every app's are created first. The sync is idempotent: a later change of the matrix comes with a
migration that runs it again (or `manage.py staff_roles --sync`).
"""

from django.db import migrations


def sync(apps, schema_editor):
    from privacy import roles

    using = schema_editor.connection.alias
    roles.create_all_permissions(apps, using=using)
    roles.sync_roles(apps=apps, using=using, strict=False)


def remove_groups(apps, schema_editor):
    from privacy import roles

    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(
        name__in=[role.group for role in roles.ROLES]
    ).delete()


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
        migrations.RunPython(sync, remove_groups),
    ]
