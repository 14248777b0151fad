"""`manage.py load_kandas`: load or refresh the kandas quota plans and policy versions from the data files."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from koshiqon.kandas.services.quotas import KandasDataError, kandas_data_load


class Command(BaseCommand):
    help = "Load the kandas quota plans (with their regional split) and the kandas policy versions."

    def handle(self, *args, **options):
        try:
            counts = kandas_data_load(by="manage.py load_kandas")
        except KandasDataError as error:
            raise CommandError(_("The kandas data files have errors; nothing was loaded.") + "\n" + str(error))
        width = max(len(name) for name in counts)
        for name, count in counts.items():
            self.stdout.write(f"{name.ljust(width)}  {count:>5}")
        self.stdout.write(self.style.SUCCESS(_("Kandas data loaded.")))
