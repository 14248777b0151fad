"""Kazakhstan's working-day calendar, for legal deadlines counted in working days (domain.md §0).

A working day is a Monday to Friday that is not a public holiday (Law "On Holidays in the Republic of
Kazakhstan" No. 267 of 13 Dec 2001: national and state holidays are non-working days; H), with one
correction: the government transfers days off every year by resolution, so that a weekday wedged between
holidays is rested and a weekend day (usually a Saturday) is worked instead. Those transfers are data, because the package that knows the
holidays records the day that is rested but not the weekend day that is worked.

The rules, in order of precedence:
1. a transfer's `working_day` is worked, whatever day of the week or holiday it is (the resolution says so);
2. a transfer's `day_off` is rested;
3. otherwise Saturdays, Sundays and public holidays are rested and every other day is worked.
"""

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta

import holidays as holidays_lib

HolidaySource = Iterable[date] | Mapping[date, str]
YearHolidays = Callable[[int], HolidaySource]

_ONE_DAY = timedelta(days=1)


class WorkCalendar:
    """Working days from a set of holidays and the government's transfers of days off.

    `holidays` are the public days off known up front (dates, or a mapping of dates to names). For a calendar
    that must answer for any year, pass `holidays_for_year`: it is called once per year, the first time a
    date of that year is asked about, and its answer is kept (see `kazakhstan_calendar`).

    A transfer is a pair `(working_day, day_off)`: the working day is worked so that the day off is rested.
    """

    def __init__(
        self,
        holidays: HolidaySource = (),
        transfers: Iterable[tuple[date, date]] = (),
        *,
        holidays_for_year: YearHolidays | None = None,
    ) -> None:
        self._fixed: frozenset[date] = frozenset(holidays)
        self._for_year = holidays_for_year
        self._years: dict[int, frozenset[date]] = {}
        worked: set[date] = set()
        rested: set[date] = set()
        for working_day, day_off in transfers:
            if working_day == day_off:
                raise ValueError(f"a transfer must move a day off to another day, got {working_day} twice")
            worked.add(working_day)
            rested.add(day_off)
        clash = worked & rested
        if clash:
            raise ValueError(f"a day cannot be both worked and rested by transfers: {sorted(clash)}")
        self._worked: frozenset[date] = frozenset(worked)
        self._rested: frozenset[date] = frozenset(rested)

    @property
    def transferred_working_days(self) -> frozenset[date]:
        """Weekend days (or holidays) that a transfer makes working days."""
        return self._worked

    @property
    def transferred_days_off(self) -> frozenset[date]:
        """Days that a transfer makes days off."""
        return self._rested

    def is_holiday(self, d: date) -> bool:
        """True when `d` is a public holiday (including observed and substituted days off)."""
        if d in self._fixed:
            return True
        if self._for_year is None:
            return False
        year = self._years.get(d.year)
        if year is None:
            # A race between threads only builds the same year twice; the answer is the same.
            year = self._years[d.year] = frozenset(self._for_year(d.year))
        return d in year

    def is_working_day(self, d: date) -> bool:
        if d in self._worked:
            return True
        if d in self._rested:
            return False
        return d.weekday() < 5 and not self.is_holiday(d)

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after `d` (n > 0) or before it (n < 0).

        n == 0 answers `d` itself when it is a working day, else the next working day: "by day 0" of a
        deadline means "on the day of the event, or the first day the office is open after it". So
        `add_working_days(d, 0)` is always a working day, and for n >= 1 the answer never depends on
        whether `d` itself is worked: a term starts running on the day after the event.
        """
        if n == 0:
            while not self.is_working_day(d):
                d += _ONE_DAY
            return d
        step = _ONE_DAY if n > 0 else -_ONE_DAY
        remaining = abs(n)
        while remaining:
            d += step
            if self.is_working_day(d):
                remaining -= 1
        return d

    def working_days_between(self, a: date, b: date) -> int:
        """The number of working days in (a, b]: after `a`, up to and including `b`.

        So `working_days_between(d, add_working_days(d, n)) == n` for n >= 1. When `b` is before `a` the
        count is negative: `-working_days_between(b, a)`.
        """
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        d = a + _ONE_DAY
        while d <= b:
            if self.is_working_day(d):
                count += 1
            d += _ONE_DAY
        return count

    def add_calendar_days(self, d: date, n: int, *, roll_forward: bool = False) -> date:
        """`d` plus n calendar days.

        With `roll_forward`, a result that falls on a day off moves to the next working day: Kazakh rules on
        computing terms (Civil Code, Law "On Administrative Procedures", later the Administrative
        Procedural Code; M) end a term that falls on a non-working day on the next working day. Whether a
        given deadline rolls is the rule's business, so it is a choice here.
        """
        result = d + timedelta(days=n)
        return self.add_working_days(result, 0) if roll_forward else result


def kazakhstan_holidays(year: int) -> dict[date, str]:
    """Kazakhstan's public holidays of one year, with observed and substituted days off, from `holidays`."""
    return dict(holidays_lib.country_holidays("KZ", years=year))


def kazakhstan_calendar(
    years: Iterable[int] = (), transfers: Iterable[tuple[date, date]] = ()
) -> WorkCalendar:
    """Kazakhstan's calendar for any year: holidays from the `holidays` package, built year by year on demand.

    `years` are built at once (useful before a batch of many lookups); others are built when first asked.
    `transfers` are the government's transfers of days off, `(worked weekend day, rested weekday)`.
    """
    calendar = WorkCalendar((), transfers, holidays_for_year=kazakhstan_holidays)
    for year in years:
        calendar.is_holiday(date(year, 1, 1))
    return calendar
