"""The kandas routers of /api/v1/kandas/: applications and quotas, and selection runs."""

from ninja import Router

from koshiqon.kandas.api.applications import router as applications_router
from koshiqon.kandas.api.selection import router as selection_router

router = Router(tags=["kandas"])
router.add_router("/", applications_router)
router.add_router("/", selection_router)
