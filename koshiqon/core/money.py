"""Converting MCI amounts to tenge with the MciRate table (domain.md §0: convert at the MCI in force on the date).

The table is read once per process and kept for five minutes. Whoever changes MciRate (the reference data
loader) calls `money_reset()` afterwards; other processes see the change within five minutes.
"""

from datetime import date

from koshiqon.core.cache import ProcessCache
from koshiqon.core.domain.money import MciAmount, MciTable, NoRateError
from koshiqon.core.models import MciRate

__all__ = ["NoRateError", "mci_on", "mci_table", "mci_to_tenge", "money_reset"]

_cache = ProcessCache(
    lambda: MciTable(MciRate.objects.order_by("valid_from").values_list("valid_from", "tenge"))
)


def mci_table() -> MciTable:
    return _cache.get()


def money_reset() -> None:
    """Forget the cached MCI table, so that the next conversion reads MciRate again."""
    _cache.reset()


def mci_on(d: date) -> int:
    """Tenge per MCI on date `d`. Raises NoRateError before the first stored value."""
    return mci_table().rate_on(d)


def mci_to_tenge(amount: MciAmount, *, on: date) -> int:
    """`amount` MCI in whole tenge (rounded half up) at the MCI in force `on`."""
    return mci_table().mci_to_tenge(amount, on)
