"""The `/api/v1/` entry point: one NinjaAPI, each app adds its router.

Deny by default: authentication is set on the API itself, so every operation, present and future, needs a
session (with CSRF for unsafe methods) or a system's bearer token, and the OpenAPI document too.
"""

from django.conf import settings
from ninja import NinjaAPI

from koshiqon.accounts.api import router as accounts_router
from koshiqon.adaptation.api import router as adaptation_router
from koshiqon.core.api import AUTH, authenticated_view, install_error_handlers
from koshiqon.kandas.api import router as kandas_router
from koshiqon.labour.api import router as labour_router
from koshiqon.people.api import router as people_router
from koshiqon.placement.api import router as placement_router


class KoshiqonAPI(NinjaAPI):
    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            # Ninja answers 401 itself; Django's LoginRequiredMiddleware would redirect to the login page.
            pattern.callback.login_required = False
        return urls


api = KoshiqonAPI(
    title="Koshiqon API",
    version="1.0.0",
    description="The person registry and reference data of Koshiqon, with the same permissions as the pages.",
    urls_namespace="api",
    auth=AUTH,
    docs_decorator=authenticated_view,
    # The docs page serves ninja's own Swagger files only when ninja is an installed app; otherwise it would
    # load them from a CDN, which Koshiqon never does.
    docs_url="/docs" if "ninja" in settings.INSTALLED_APPS else None,
)
install_error_handlers(api)
api.add_router("/", accounts_router)
api.add_router("/", people_router)
api.add_router("/kandas/", kandas_router)
api.add_router("/labour/", labour_router)
api.add_router("/adaptation/", adaptation_router)
api.add_router("/placement/", placement_router)
