from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KandasConfig(AppConfig):
    name = "koshiqon.kandas"
    label = "kandas"
    verbose_name = _("Kandas immigration quota")

    def ready(self):
        # Registers the parameter schemas of the kandas policy kinds (kandas.grid, kandas.rules).
        import koshiqon.kandas.domain.policy  # noqa: F401
