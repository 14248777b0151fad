"""The /api/v1/placement/ router."""

from ninja import Router

router = Router(tags=["placement"])
