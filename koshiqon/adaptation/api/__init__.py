"""The /api/v1/adaptation/ router: centres and the catalogue, plans with their referrals, stays and
outcomes."""

from ninja import Router

from koshiqon.adaptation.api.centres import router as centres_router
from koshiqon.adaptation.api.plans import router as plans_router

router = Router(tags=["adaptation"])
router.add_router("/", centres_router)
router.add_router("/", plans_router)
