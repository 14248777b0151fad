"""The working-day calendar for legal deadlines: Kazakhstan's holidays plus the transfers in the DayTransfer table.

The calendar is built once per process and kept for five minutes. Whoever changes the DayTransfer table (the
reference data loader) calls `calendar_reset()` afterwards; other processes see the change within five minutes.
"""

from datetime import date

from koshiqon.core.cache import ProcessCache
from koshiqon.core.domain.calendar import WorkCalendar, kazakhstan_calendar
from koshiqon.core.models import DayTransfer


def _load() -> WorkCalendar:
    transfers = DayTransfer.objects.order_by("working_day").values_list("working_day", "day_off")
    return kazakhstan_calendar(transfers=list(transfers))


_cache = ProcessCache(_load)


def work_calendar() -> WorkCalendar:
    """Kazakhstan's working-day calendar with the transfers of days off stored in the database."""
    return _cache.get()


def calendar_reset() -> None:
    """Forget the cached calendar, so that the next lookup reads the DayTransfer table again."""
    _cache.reset()


def is_working_day(d: date) -> bool:
    return work_calendar().is_working_day(d)


def add_working_days(d: date, n: int) -> date:
    """The n-th working day after `d` (before it when n < 0); see WorkCalendar.add_working_days for n == 0."""
    return work_calendar().add_working_days(d, n)


def working_days_between(a: date, b: date) -> int:
    """Working days in (a, b]."""
    return work_calendar().working_days_between(a, b)


def add_calendar_days(d: date, n: int, *, roll_forward: bool = False) -> date:
    """`d` plus n calendar days; with `roll_forward`, a day off moves to the next working day."""
    return work_calendar().add_calendar_days(d, n, roll_forward=roll_forward)
