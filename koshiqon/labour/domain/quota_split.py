"""How a year's foreign-labour quota becomes places by region and category, and how places move between
regions during the year (domain.md §4; ADR 0009).

- **Categories of a year's quota**: those of the category set in force on 31 December of the year, without
  intra-corporate transfers (outside the quota). So 2007-2011 quotas have "1+2", "3", "4-seasonal" and quotas
  from 2012 have "1", "2", "3", "4", "seasonal": the 2012 quota was adopted under the 2011 Law on Migration,
  with the new categories, even though the old ones stayed in force to 11 Mar 2012 (regimes.py).
- **A component** of the quota is given as a share of the labour force ("0.35%") or as a number of permits
  ("726"); a share becomes whole permits rounded down (`quota.quota_for_year`).
- **Regional split**: each component's national places are split over the regions in proportion to their
  labour force by the largest-remainder (Hamilton) method: every region gets the whole part of its exact
  share, and the places left over go one each to the largest fractional parts (ties: the larger labour force,
  then the region code). The split always adds up exactly to the national figure, and no region is ever more
  than one place away from its exact share.
- **Redistribution**: N places of one category move from region A to region B of the same year; refused when
  A has fewer than N unused places.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

from koshiqon.labour.domain.regimes import ICT, categories_on


def quota_categories(year: int) -> tuple[str, ...]:
    """The components of the quota of `year`, in their official order; LookupError before 2007."""
    return tuple(code for code in categories_on(date(year, 12, 31)) if code != ICT)


def split_largest_remainder(total: int, weights: Mapping[str, int]) -> dict[str, int]:
    """`total` whole places split over the keys in proportion to their (non-negative, whole) weights.

    Exact: the parts add up to `total`. Each part is the floor or the ceiling of its exact share
    total * weight / sum(weights); a key of weight 0 gets 0. ValueError when there is something to split
    and nothing to split it by (all weights 0), or on negative numbers.
    """
    if total < 0:
        raise ValueError("cannot split a negative number of places")
    if any(w < 0 for w in weights.values()):
        raise ValueError("weights cannot be negative")
    whole = sum(weights.values())
    if whole == 0:
        if total:
            raise ValueError("cannot split places when every weight is 0")
        return dict.fromkeys(weights, 0)
    # Integer arithmetic only: floor(total * w / whole) and its remainder, so no rounding error can leak.
    parts = {key: total * w // whole for key, w in weights.items()}
    remainders = {key: total * w % whole for key, w in weights.items()}
    left = total - sum(parts.values())
    order = sorted(weights, key=lambda key: (-remainders[key], -weights[key], key))
    for key in order[:left]:
        parts[key] += 1
    return parts


def regional_split(national: Mapping[str, int], labour_force: Mapping[str, int]) -> dict[str, dict[str, int]]:
    """Places by category, then by region: each category's national places split by the regions' labour
    force (`split_largest_remainder`)."""
    return {category: split_largest_remainder(places, labour_force) for category, places in national.items()}


@dataclass(frozen=True)
class Component:
    """One component of a quota as the ministry states it: a share of the labour force or a number of permits."""

    share: Decimal | None = None
    permits: int | None = None


class ComponentError(ValueError):
    """A component could not be read: `code` is "empty", "format", "share" (not between 0 and 100%) or
    "negative"."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_component(text: str) -> Component:
    """"0.35%" (or "0,35 %") is a share of the labour force, "726" (or "3 402") a number of permits."""
    value = text.strip().replace("\u00a0", "").replace(" ", "")
    if not value:
        raise ComponentError("empty")
    if value.endswith("%"):
        try:
            percent = Decimal(value[:-1].replace(",", "."))
        except InvalidOperation:
            raise ComponentError("format") from None
        if not percent.is_finite() or not Decimal(0) <= percent <= Decimal(100):
            raise ComponentError("share")
        return Component(share=percent / 100)
    if value.startswith("-") and value[1:].isdigit():
        raise ComponentError("negative")
    if not value.isascii() or not value.isdigit():
        raise ComponentError("format")
    return Component(permits=int(value))


def national_places(component: Component, labour_force: int) -> int:
    """The national places of a component: its permits, or its share of the labour force rounded down (a
    quota never admits more than its share)."""
    if component.permits is not None:
        return component.permits
    if component.share is None:
        raise ValueError("a component needs a share or a number of permits")
    return int((component.share * labour_force).to_integral_value(rounding=ROUND_FLOOR))


def format_share(share: Decimal) -> str:
    """A share as the percentage people write: Decimal("0.0035") -> "0.35%"."""
    percent = (share * 100).normalize()
    return f"{percent:f}%"


def used_percent(used: int, places: int) -> Decimal:
    """How much of an allocation is used, in per cent with one decimal (half up); 0 for no places."""
    if places <= 0:
        return Decimal(0)
    return (Decimal(100) * used / places).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def redistribution_problems(*, places: int, from_region: str, to_region: str, from_left: int) -> list[str]:
    """Why places may not move: "places" (not a positive number), "same_region", "not_enough" (the region
    giving them has fewer unused places). Empty when the move is allowed."""
    problems = []
    if places < 1:
        problems.append("places")
    if from_region == to_region:
        problems.append("same_region")
    if places >= 1 and from_left < places:
        problems.append("not_enough")
    return problems
