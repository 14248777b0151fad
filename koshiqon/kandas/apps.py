from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KandasConfig(AppConfig):
    name = "koshiqon.kandas"
    label = "kandas"
    verbose_name = _("Kandas immigration quota")
