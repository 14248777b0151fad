"""`manage.py labour_expire [--on YYYY-MM-DD]`: mark expired every work permit and household permit whose last
day has passed. Run it every night shortly after midnight, Asia/Almaty (a cron line or a systemd timer calling
`koshiqon labour_expire`; see docs/adr/0009-foreign-labour.md, "Permits"). It is idempotent: a second run the
same night finds nothing to do."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from koshiqon.labour.services.household import household_permits_expire
from koshiqon.labour.services.permit_life import permits_expire


class Command(BaseCommand):
    help = "Mark expired the work permits and household permits whose last day has passed."

    def add_arguments(self, parser):
        parser.add_argument("--on", default="", help="the day of the run (default today): permits that ended "
                                                     "before it expire")

    def handle(self, *args, on: str, **options):
        try:
            day = date.fromisoformat(on) if on else None
        except ValueError:
            raise CommandError(f"--on: not a date (YYYY-MM-DD): {on}")
        permits = permits_expire(on=day, by="labour_expire")
        household = household_permits_expire(on=day, by="labour_expire")
        self.stdout.write(f"expired {permits} permits and {household} household permits")
