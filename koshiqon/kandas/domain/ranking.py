"""Ranking applications and filling each region's quota in rank order (issue 3, domain.md §2).

The rule, the same for a selection run and for `koshiqon kandas rank`:

- Order: the higher score first; a tie goes to the earlier application (`applied_at`), then to the smaller
  id. The rank runs over all applications, ineligible ones included (1 = best).
- An application below the pass mark (or otherwise ineligible, as the caller says) is `ineligible` and takes
  no place in any quota.
- Each region's quota is filled in that order, in the unit its plan counts (domain.md §2: families until 2016,
  persons since): the next family is admitted while it still fits in what is left of the quota; a family that
  does not fit is waitlisted, and later, smaller families may still be admitted. A region without a quota
  (or with a quota of 0) admits nobody: its eligible applications are waitlisted.

Arrays in, arrays out, and vectorised: a year's applications (a million rows in the benchmark) are ranked with
one `np.lexsort`, and each region's quota is filled with cumulative sums; only the few families that may still
fit once the first one has not are looked at one by one (at most as many as the persons left).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from koshiqon.kandas.domain.scoring import Categorical

Unit = Literal["families", "persons"]
UNITS: tuple[Unit, ...] = ("families", "persons")

INCLUDED, WAITLISTED, INELIGIBLE = 0, 1, 2
DECISION_NAMES = ("included", "waitlisted", "ineligible")


@dataclass(frozen=True)
class Quota:
    """A region's quota: how many families, or persons, it admits."""

    amount: int
    unit: Unit

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"a quota is counted in families or persons, not {self.unit!r}")
        if self.amount < 0:
            raise ValueError(f"a quota cannot be negative: {self.amount}")


@dataclass(frozen=True)
class Ranking:
    """The outcome, per application in the order given: `rank` (1 = best), `decision` (codes INCLUDED,
    WAITLISTED, INELIGIBLE); and `order`, the indices of the applications best first."""

    order: NDArray[np.intp]
    rank: NDArray[np.int64]
    decision: NDArray[np.int8]

    def decision_names(self) -> NDArray[np.str_]:
        return np.array(DECISION_NAMES, dtype=np.str_)[self.decision]


def _sort_key(values: NDArray[Any]) -> NDArray[Any]:
    """A key that sorts like the values: numbers and date-times as they are, text by code point order."""
    if values.dtype.kind in "iufb":
        return values
    if values.dtype.kind in "mM":
        return values.view(np.int64)
    return np.unique(values, return_inverse=True)[1].reshape(-1)


def _by_score(scores: NDArray[np.float64]) -> NDArray[np.intp]:
    """A stable sort, higher score first. Whole-number scores within 65,535 of each other (every grid whose
    points are whole numbers) sort as 16-bit codes, which NumPy sorts by radix, several times faster."""
    if scores.size:
        top, bottom = float(scores.max()), float(scores.min())
        if top - bottom < 65_536 and bool((scores == np.floor(scores)).all()):
            return np.argsort((top - scores).astype(np.uint16), kind="stable")
    return np.argsort(-scores, kind="stable")


def rank_order(ids: NDArray[Any], applied_at: NDArray[Any], scores: NDArray[np.float64]) -> NDArray[np.intp]:
    """Indices best first: higher score, then earlier `applied_at`, then smaller id."""
    when = _sort_key(applied_at)
    by_time = np.argsort(when)
    ordered = when[by_time]
    same = ordered[1:] == ordered[:-1]
    if bool(same.any()):
        # Applications filed at the same moment (a million a year, to the second, share some): only those are
        # ordered by id, in place; each moment's applications keep the positions the time sort gave them.
        tied = np.zeros(len(when), dtype=np.bool_)
        tied[1:] |= same
        tied[:-1] |= same
        at = np.flatnonzero(tied)
        group = by_time[at]
        by_time[at] = group[np.lexsort((_sort_key(np.asarray(ids)[group]), when[group]))]
    # A stable sort by score keeps the time-then-id order among equal scores.
    return by_time[_by_score(scores[by_time])]


def fill_families(count: int, quota: int) -> NDArray[np.bool_]:
    """Families in rank order, each counting 1: the first `quota` are admitted."""
    admitted = np.zeros(count, dtype=np.bool_)
    admitted[: min(quota, count)] = True
    return admitted


def fill_persons(sizes: NDArray[np.int64], quota: int) -> NDArray[np.bool_]:
    """Families in rank order with their sizes: admit each that fits in what is left, skip those that do not.

    Every family up to the first that does not fit is admitted (one cumulative sum). After it, what is left is
    smaller than that family, so only families no larger than what is left are candidates; each admission
    lowers what is left by at least one person, so the loop below runs at most that many times.
    """
    admitted = np.zeros(len(sizes), dtype=np.bool_)
    if quota <= 0 or not len(sizes):
        return admitted
    cumulative = np.cumsum(sizes)
    first_out = int(np.searchsorted(cumulative, quota, side="right"))
    admitted[:first_out] = True
    if first_out == len(sizes):
        return admitted
    left = quota - (int(cumulative[first_out - 1]) if first_out else 0)
    candidates = first_out + 1 + np.flatnonzero(sizes[first_out + 1 :] <= left)
    while left > 0 and candidates.size:
        chosen = candidates[0]
        admitted[chosen] = True
        left -= int(sizes[chosen])
        candidates = candidates[1:]
        candidates = candidates[sizes[candidates] <= left]
    return admitted


def _quota(amount: int, unit: str) -> Quota:
    for known in UNITS:
        if unit == known:
            return Quota(int(amount), known)
    raise ValueError(f"a quota is counted in families or persons, not {unit!r}")


def rank(
    ids: NDArray[Any],
    regions: NDArray[Any] | Categorical,
    applied_at: NDArray[Any],
    sizes: NDArray[np.int64],
    scores: NDArray[np.float64],
    eligible: NDArray[np.bool_],
    quotas: Mapping[str, Quota | tuple[int, str]],
) -> Ranking:
    """Rank the applications and fill each region's quota (see the module's docstring for the rule).

    One entry per application in each array; `regions` holds region codes, the keys of `quotas`; `sizes`
    the persons in each family (1 or more); `eligible` is False for an ineligible application.
    """
    count = len(ids)
    if any(len(a) != count for a in (regions, applied_at, sizes, scores, eligible)):
        raise ValueError("the applications' arrays differ in length")
    sizes = np.asarray(sizes, dtype=np.int64)
    if count and int(sizes.min()) < 1:
        raise ValueError("a family has at least one person")
    plans = {code: q if isinstance(q, Quota) else _quota(*q) for code, q in quotas.items()}

    order = rank_order(np.asarray(ids), np.asarray(applied_at), np.asarray(scores, dtype=np.float64))
    ranks = np.empty(count, dtype=np.int64)
    ranks[order] = np.arange(1, count + 1, dtype=np.int64)
    decision = np.where(np.asarray(eligible, dtype=np.bool_), WAITLISTED, INELIGIBLE).astype(np.int8)

    # Each applicant's region as the position of its quota (len(plans) when its region has none).
    codes = list(plans)
    if isinstance(regions, Categorical):
        table = np.array([codes.index(c) if c in plans else len(codes) for c in regions.categories.tolist()],
                         dtype=np.uint16)
        region_at = table[regions.codes] if table.size else np.zeros(count, dtype=np.uint16)
    else:
        region_at = np.full(count, len(codes), dtype=np.uint16)
        values = np.asarray(regions)
        for i, code in enumerate(codes):
            region_at[values == code] = i
    in_order = order[decision[order] == WAITLISTED]  # the eligible, best first
    # A stable (radix) sort groups them by region and keeps them best first within each.
    grouped = in_order[np.argsort(region_at[in_order], kind="stable")]
    bounds = np.searchsorted(region_at[grouped], np.arange(len(codes) + 1))
    for i, plan in enumerate(plans.values()):
        members = grouped[bounds[i] : bounds[i + 1]]
        if plan.unit == "families":
            admitted = fill_families(len(members), plan.amount)
        else:
            admitted = fill_persons(sizes[members], plan.amount)
        decision[members[admitted]] = INCLUDED
    return Ranking(order=order, rank=ranks, decision=decision)
