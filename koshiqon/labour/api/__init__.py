"""The labour routers of /api/v1/labour/: quota, employers, the labour exchange, permits, household permits."""

from ninja import Router

from koshiqon.labour.api.employers import router as employers_router
from koshiqon.labour.api.exchange import router as exchange_router
from koshiqon.labour.api.household import router as household_router
from koshiqon.labour.api.permits import router as permits_router
from koshiqon.labour.api.quota import router as quota_router

router = Router(tags=["labour"])
for sub in (quota_router, employers_router, exchange_router, permits_router, household_router):
    router.add_router("/", sub)
