"""`manage.py load_labour`: load the labour force and the 2009 and 2026 foreign-labour quotas with their split
by region and category, from `labour/data/`. Idempotent: what is already stored is kept."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from koshiqon.labour.services.quota_data import LabourDataError, labour_data_load


class Command(BaseCommand):
    help = "Load the labour force by region and the shipped foreign-labour quotas (2009, 2026) with their regional split."

    def handle(self, *args, **options):
        try:
            counts = labour_data_load(by="manage.py load_labour")
        except LabourDataError as error:
            raise CommandError(_("The labour data files have errors; nothing was loaded.") + "\n" + str(error))
        width = max(len(name) for name in counts)
        for name, count in counts.items():
            self.stdout.write(f"{name.ljust(width)}  {count:>5}")
        self.stdout.write(self.style.SUCCESS(_("Labour data loaded.")))
