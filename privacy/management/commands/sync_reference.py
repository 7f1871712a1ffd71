"""Bring the database up to what the code declares: reference registers, consent topics and import
profiles, retention rules, periodic tasks and the staff roles' groups (privacy/sync.py). Idempotent;
`migrate` runs it too."""

from django.core.management.base import BaseCommand

from privacy.sync import sync_reference


class Command(BaseCommand):
    help = (
        "Create the missing reference rows, retention rules and periodic tasks (existing ones keep what "
        "staff edited) and make each role's group hold exactly its permissions. Safe to run any number "
        "of times."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="The database alias (default: default).")

    def handle(self, *args, database: str = "default", **options):
        report = sync_reference(using=database)
        for step, done in report.items():
            if step == "roles":
                for group, changes in done.items():
                    added, removed = len(changes["added"]), len(changes["removed"])
                    self.stdout.write(f"{group}: {added} permission(s) added, {removed} removed.")
            elif isinstance(done, dict):
                self.stdout.write(f"{step}: " + ", ".join(f"{name} {count}" for name, count in done.items()))
            else:
                self.stdout.write(f"{step}: {len(done)} created" + (f" ({', '.join(done)})" if done else ""))
