"""The /api/v1/labour/ operations: exchange."""

from ninja import Router

router = Router()
