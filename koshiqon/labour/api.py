"""The /api/v1/labour/ router."""

from ninja import Router

router = Router(tags=["labour"])
