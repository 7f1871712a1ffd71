"""python manage.py record_automated_decision CUSTOMER_NUMBER --system S --logic-version V --matter M
--outcome O --ground G --reference R [--decided-at ISO] [--contract C] [--law L] [--user U]
or: python manage.py record_automated_decision --csv FILE [--user U]

One automated decision (§16–18), or a CSV file of them, recorded through the service that refuses a
decision without its ground (§17).
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from consents.automated_decisions import automated_decision_record, automated_decisions_import
from consents.models import AutomatedDecision
from privacy.models import Customer, User


class Command(BaseCommand):
    help = _("Record an automated decision with legal effect (§16–18), or a CSV file of them.")

    def add_arguments(self, parser):
        parser.add_argument("customer_number", nargs="?", help=_("The customer's number."))
        parser.add_argument("--csv", help=_("A UTF-8 CSV file of decisions (see the README)."))
        parser.add_argument("--system", default="", help=_("The system that decided."))
        parser.add_argument("--logic-version", default="", help=_("The logic and its version."))
        parser.add_argument("--matter", default="", help=_("What was decided."))
        parser.add_argument("--outcome", default="", choices=["", *AutomatedDecision.Outcome.values])
        parser.add_argument("--ground", default="", choices=["", *AutomatedDecision.Ground.values])
        parser.add_argument("--reference", default="", help=_("The decision's reference in the system."))
        parser.add_argument("--decided-at", default="", help=_("ISO moment with time zone (default: now)."))
        parser.add_argument(
            "--contract", default="", help=_("The contract or application (ground: contract).")
        )
        parser.add_argument("--law", default="", help=_("The provision of law (ground: law)."))
        parser.add_argument("--user", help=_("Username of the staff member it is attributed to."))

    def handle(self, *args, **options):
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(_("No staff user %(name)s.") % {"name": options["user"]})
        if options["csv"]:
            path = Path(options["csv"])
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(str(exc)) from exc
            recorded, errors = automated_decisions_import(actor=actor, text=text, file_name=path.name)
            if errors:
                raise CommandError("\n".join(errors))
            self.stdout.write(_("Automated decisions recorded: %(n)d") % {"n": recorded})
            return
        number = (options["customer_number"] or "").strip()
        customer = Customer.objects.filter(customer_number=number).first() if number else None
        if customer is None:
            raise CommandError(_("No customer %(number)s.") % {"number": number[:40]})
        moment = parse_datetime(options["decided_at"]) if options["decided_at"] else timezone.now()
        try:
            decision = automated_decision_record(
                actor=actor,
                customer=customer,
                decided_at=moment,
                system=options["system"],
                logic_version=options["logic_version"],
                matter=options["matter"],
                outcome=options["outcome"],
                ground=options["ground"],
                reference=options["reference"],
                contract_reference=options["contract"],
                legal_provision=options["law"],
                source="record_automated_decision",
            )
        except (ValidationError, ValueError) as exc:
            raise CommandError("; ".join(getattr(exc, "messages", [str(exc)]))) from exc
        self.stdout.write(_("Automated decision recorded: %(decision)s") % {"decision": decision})
