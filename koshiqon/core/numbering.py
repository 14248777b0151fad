"""Gapless numbers for documents people quote (application numbers, decision numbers).

The counter row is locked (SELECT ... FOR UPDATE) inside the caller's transaction, so two officers never get
the same number, and a rolled-back registration gives its number back.
"""

from django.db import IntegrityError, connection, transaction

from koshiqon.core.models import Counter


def counter_for_update(key: str) -> Counter:
    """The sequence `key`, created at 0 if new, locked until the caller's transaction ends: the caller may
    take a block of numbers (value + 1 ... value + n) and save the new value."""
    if not connection.in_atomic_block:
        raise RuntimeError("a counter must be taken inside the transaction that uses its numbers")
    try:
        with transaction.atomic():
            Counter.objects.get_or_create(key=key)
    except IntegrityError:  # created by a concurrent transaction meanwhile
        pass
    return Counter.objects.select_for_update().get(key=key)


def next_number(key: str) -> int:
    """The next number of the sequence `key`, starting at 1. Must run inside the transaction that uses it."""
    counter = counter_for_update(key)
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.value
