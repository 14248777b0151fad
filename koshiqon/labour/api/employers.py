"""The /api/v1/labour/ operations: employers."""

from ninja import Router

router = Router()
