"""Show the staff roles' permission matrix, or make the Groups match it (privacy/roles.py)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from privacy import roles


class Command(BaseCommand):
    help = (
        "Print the permission matrix of the staff roles as the README's Markdown, or with --sync make "
        "each role's group hold exactly its permissions."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sync", action="store_true", help="Update the groups to match the matrix.")

    def handle(self, *args, sync: bool = False, **options):
        if not sync:
            self.stdout.write(roles.readme_section())
            return
        with transaction.atomic():
            report = roles.sync_roles()
        for group, changes in report.items():
            added, removed = len(changes["added"]), len(changes["removed"])
            self.stdout.write(f"{group}: {added} permission(s) added, {removed} removed.")
