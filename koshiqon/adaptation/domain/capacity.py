"""Beds of a centre over time: how many persons stay on a day, the peak from a day on, and whether more fit.

Rule (domain.md §3; Order 331-Ө-М of 22 Jul 2013 on the centres, H): a centre gives temporary housing within
its capacity, so the number of persons staying in a centre on any day never exceeds its beds.

A stay occupies a bed from its check-in day up to, not including, its check-out day (the rule of hotels:
whoever leaves on the 5th frees the bed for whoever arrives on the 5th). An open stay (no check-out yet)
occupies its bed from its check-in day on, with no end. Check-ins and check-outs are recorded as they
happen, so they lie in the past or today; a late record (a check-in written down a few days after it) is
still checked against every day since it happened.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Period:
    """One person's stay: from `start` (check-in) to `end` (check-out, exclusive); `end` None: still there."""

    start: date
    end: date | None = None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)

    def overlaps_from(self, day: date) -> bool:
        """True when the stay occupies a bed on `day` or on any later day."""
        return self.end is None or self.end > day


def occupancy_on(periods: Iterable[Period], day: date) -> int:
    """Persons staying on `day`."""
    return sum(1 for p in periods if p.covers(day))


def peak_from(periods: Iterable[Period], start: date) -> int:
    """The most persons staying on any one day from `start` on (a sweep over arrivals and departures)."""
    events: list[tuple[date, int]] = []
    for p in periods:
        if not p.overlaps_from(start):
            continue
        events.append((max(p.start, start), 1))
        if p.end is not None:
            events.append((p.end, -1))
    # On the same day departures come first: a bed freed on the 5th takes an arrival of the 5th.
    events.sort()
    peak = current = 0
    for _day, delta in events:
        current += delta
        peak = max(peak, current)
    return peak


def free_beds(beds: int, periods: Iterable[Period], day: date) -> int:
    """Beds not taken on `day` (never below zero, even if a centre's beds were cut below its occupancy)."""
    return max(beds - occupancy_on(periods, day), 0)


def room_from(beds: int, periods: Iterable[Period], start: date) -> int:
    """How many more persons can check in on `start` and stay on: the beds left on the fullest day from then."""
    return max(beds - peak_from(periods, start), 0)


def fits(*, beds: int, periods: Iterable[Period], start: date, persons: int) -> bool:
    """True when `persons` more can check in on `start` without any day from then on exceeding the beds."""
    return persons <= room_from(beds, periods, start)


def person_is_staying(periods: Iterable[Period], start: date) -> bool:
    """True when one of a person's stays still occupies a bed on `start` or later: a second stay would
    overlap it."""
    return any(p.overlaps_from(start) for p in periods)


@dataclass(frozen=True)
class Occupancy:
    """A centre's beds on a day: taken and free, for pages and for placement."""

    beds: int
    occupied: int

    @property
    def free(self) -> int:
        return max(self.beds - self.occupied, 0)

    @property
    def over(self) -> int:
        """Persons above the beds (only when the beds were cut after they checked in)."""
        return max(self.occupied - self.beds, 0)

    @property
    def percent(self) -> float:
        """Occupied beds as a percentage of the beds, one decimal; 0 for a centre without beds."""
        return round(100 * self.occupied / self.beds, 1) if self.beds else 0.0
