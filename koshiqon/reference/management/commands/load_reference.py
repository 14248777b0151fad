"""`manage.py load_reference`: load or refresh the reference data from the project's data files."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from koshiqon.reference.services import ReferenceDataError, reference_load


class Command(BaseCommand):
    help = "Load the reference data (regions, countries, occupations, education levels, MCI, day transfers)."

    def handle(self, *args, **options):
        try:
            counts = reference_load(by="manage.py load_reference")
        except ReferenceDataError as error:
            raise CommandError(
                _("The reference data files have errors; nothing was loaded.") + "\n" + str(error)
            )
        width = max(len(table) for table in counts)
        for table, count in counts.items():
            self.stdout.write(f"{table.ljust(width)}  {count:>5}")
        self.stdout.write(self.style.SUCCESS(_("Reference data loaded.")))
