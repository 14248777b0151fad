"""Gapless numbers for documents people quote (application numbers, decision numbers).

The counter row is locked (SELECT ... FOR UPDATE) inside the caller's transaction, so two officers never get
the same number, and a rolled-back registration gives its number back.
"""

from django.db import IntegrityError, connection, transaction

from koshiqon.core.models import Counter


def next_number(key: str) -> int:
    """The next number of the sequence `key`, starting at 1. Must run inside the transaction that uses it."""
    if not connection.in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that uses the number")
    try:
        with transaction.atomic():
            Counter.objects.get_or_create(key=key)
    except IntegrityError:  # created by a concurrent transaction meanwhile
        pass
    counter = Counter.objects.select_for_update().get(key=key)
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.value
