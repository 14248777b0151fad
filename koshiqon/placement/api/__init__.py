"""The /api/v1/placement/ router: outcome models and their cards, the training history, and batches with their
families, proposals, overrides and approval."""

from ninja import Router

from koshiqon.placement.api.batches import router as batches_router
from koshiqon.placement.api.models import router as models_router

router = Router(tags=["placement"])
router.add_router("/", models_router)
router.add_router("/", batches_router)
