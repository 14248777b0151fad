"""The /api/v1/labour/ operations: permits."""

from ninja import Router

router = Router()
