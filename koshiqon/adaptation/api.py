"""The /api/v1/adaptation/ router."""

from ninja import Router

router = Router(tags=["adaptation"])
