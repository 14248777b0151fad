"""The /api/v1/labour/ operations: quota."""

from ninja import Router

router = Router()
