"""`manage.py load_adaptation`: load or refresh the catalogue of the centres' services from its data file."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from koshiqon.adaptation.services.catalogue import CatalogueError, adaptation_catalogue_load


class Command(BaseCommand):
    help = "Load the catalogue of services of the adaptation and integration centres (adaptation/data/services.csv)."

    def handle(self, *args, **options):
        try:
            counts = adaptation_catalogue_load(by="manage.py load_adaptation")
        except CatalogueError as error:
            raise CommandError(_("The catalogue file has errors; nothing was loaded.") + "\n" + str(error))
        width = max(len(name) for name in counts)
        for name, count in counts.items():
            self.stdout.write(f"{name.ljust(width)}  {count:>5}")
        self.stdout.write(self.style.SUCCESS(_("Service catalogue loaded.")))
