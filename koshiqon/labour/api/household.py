"""The /api/v1/labour/ operations: household."""

from ninja import Router

router = Router()
