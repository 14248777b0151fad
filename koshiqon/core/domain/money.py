"""Amounts in MCI (monthly calculation index, МРП/АЕК) and their value in tenge (domain.md §0).

Fees, fines and benefits are set in MCI; the tenge value of one MCI is fixed by the annual budget law and
sometimes changed mid-year (1 Jul 2009, 1 Apr 2020, 1 Apr 2022). An amount is converted at the MCI in force on
the date that matters (the day a fee is due, a benefit granted), and the result is whole tenge, rounded half
up, because tenge are stored as integers.
"""

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MciAmount = Decimal | int | str


class NoRateError(LookupError):
    """No MCI value is known for the date: it falls before the first row of the table."""

    def __init__(self, on: date, first: date | None) -> None:
        self.on = on
        self.first = first
        known = f"the table starts on {first.isoformat()}" if first else "the table is empty"
        super().__init__(f"no MCI value is in force on {on.isoformat()}: {known}")


class MciTable:
    """Effective-dated MCI values: each row `(valid_from, tenge)` holds until the next row's date."""

    def __init__(self, rows: Iterable[tuple[date, int]]) -> None:
        by_date: dict[date, int] = {}
        for valid_from, tenge in rows:
            if isinstance(tenge, bool) or not isinstance(tenge, int) or tenge <= 0:
                raise ValueError(
                    f"the MCI from {valid_from} must be a positive whole number of tenge, got {tenge!r}"
                )
            if by_date.get(valid_from, tenge) != tenge:
                raise ValueError(f"two MCI values from {valid_from}: {by_date[valid_from]} and {tenge}")
            by_date[valid_from] = tenge
        self._dates = sorted(by_date)
        self._tenge = [by_date[d] for d in self._dates]

    def __len__(self) -> int:
        return len(self._dates)

    @property
    def first_date(self) -> date | None:
        return self._dates[0] if self._dates else None

    def rate_on(self, d: date) -> int:
        """Tenge per MCI on date `d`. Raises NoRateError before the first row."""
        i = bisect_right(self._dates, d)
        if i == 0:
            raise NoRateError(d, self.first_date)
        return self._tenge[i - 1]

    def valid_from_on(self, d: date) -> date:
        """The date from which the MCI in force on `d` applies (for explanations: "1 MCI = 4,325 ₸ from ...")."""
        i = bisect_right(self._dates, d)
        if i == 0:
            raise NoRateError(d, self.first_date)
        return self._dates[i - 1]

    def mci_to_tenge(self, amount: MciAmount, on: date) -> int:
        """`amount` MCI in whole tenge at the MCI in force `on`, rounded half up (0.5 tenge becomes 1)."""
        return round_tenge(to_mci(amount) * self.rate_on(on))


def to_mci(amount: MciAmount) -> Decimal:
    """An amount of MCI as an exact Decimal. Floats are refused: 0.1 MCI must mean exactly one tenth.

    Amounts are non-negative: fees, fines and benefits; a refund is a separate record, not a negative fee.
    """
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int | str):
        raise TypeError(f"an MCI amount must be a Decimal, int or str, got {type(amount).__name__}")
    try:
        value = Decimal(amount.strip() if isinstance(amount, str) else amount)
    except InvalidOperation:
        raise ValueError(f"not a number of MCI: {amount!r}")
    if not value.is_finite() or value < 0:
        raise ValueError(f"an MCI amount must be a finite, non-negative number, got {amount!r}")
    return value


def round_tenge(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
