from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementConfig(AppConfig):
    name = "koshiqon.placement"
    label = "placement"
    verbose_name = _("Placement of families")
