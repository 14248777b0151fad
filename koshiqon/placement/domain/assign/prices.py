"""Region prices: the dual side of the assignment problem.

A region's limits get prices, one per family placed (`per_family`) and one per person (`per_person`). At given
prices each family would choose the region where its score minus what it pays is highest, or no region when
every choice is worth less than `outside`. `market_prices` raises the price of each over-demanded region to
the level where its demand fits (families' choices are substitutes, so prices only rise, from zero, and stay
below the lowest prices that clear every region). The prices serve twice:

- they sort out the families: one far ahead of its second choice keeps its first; the few near a tie (and those
  that would overfill a region) are left to an exact or LP step (select.py);
- any prices give a proven upper bound (`lagrangian_bound`): for prices nu, lambda >= 0 and a placement
  bonus mu >= 0,

      sum_f max(0, max_r(s_fr - nu_r - lambda_r size_f) + mu) + sum_r (nu_r F_r + lambda_r P_r) - mu k

  bounds the total score of any assignment that places at least k families (weak duality of the linear
  relaxation; a region without a limit of a kind has a price of zero for it).
"""

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from koshiqon.placement.domain.assign.types import Instance

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]


@dataclass(frozen=True)
class Prices:
    per_family: Floats
    per_person: Floats

    @classmethod
    def zero(cls, regions: int) -> "Prices":
        return cls(np.zeros(regions), np.zeros(regions))

    def valid(self, instance: Instance) -> "Prices":
        """The same prices, made usable in a bound: never negative, zero where a region has no such limit."""
        return Prices(
            np.where(np.isfinite(instance.family_limit), np.maximum(self.per_family, 0.0), 0.0),
            np.where(np.isfinite(instance.person_limit), np.maximum(self.per_person, 0.0), 0.0),
        )


@dataclass(frozen=True)
class Choices:
    """What each family would choose at some prices: the region (-1: none), the value of that choice and how
    far it is ahead of the next best choice (the outside option included)."""

    region: Ints
    best: Floats
    margin: Floats


def reduced(instance: Instance, prices: Prices) -> Floats:
    """Score minus price for every family and region (-inf where the region is not allowed)."""
    values = instance.score - prices.per_family[None, :]
    if prices.per_person.any():
        values -= instance.size[:, None] * prices.per_person[None, :]
    return values


def choices(instance: Instance, prices: Prices, outside: float) -> Choices:
    values = reduced(instance, prices)
    rows = np.arange(instance.families)
    first = np.argmax(values, axis=1) if instance.regions else np.zeros(instance.families, dtype=np.int64)
    best = values[rows, first] if instance.regions else np.full(instance.families, -np.inf)
    if instance.regions:
        values[rows, first] = -np.inf
    second = np.maximum(values.max(axis=1), outside) if instance.regions > 1 else np.full(instance.families, outside)
    placed = best >= outside
    return Choices(np.where(placed, first, -1).astype(np.int64), best, np.where(placed, best - second, outside - best))


def loads(instance: Instance, region: Ints) -> tuple[Floats, Floats]:
    """Families and persons placed in each region by an assignment (-1: not placed)."""
    placed = region >= 0
    return (
        np.bincount(region[placed], minlength=instance.regions).astype(np.float64),
        np.bincount(region[placed], weights=instance.size[placed], minlength=instance.regions).astype(np.float64),
    )


def _raise_prices(instance: Instance, choice: Choices, per_family: Floats, per_person: Floats) -> bool:
    """One round: each over-demanded region's price rises to where its demand fits. False when none is."""
    families, persons = loads(instance, choice.region)
    over = np.flatnonzero((families > instance.family_limit) | (persons > instance.person_limit))
    if not over.size:
        return False
    order = np.argsort(choice.region, kind="stable")
    starts = np.searchsorted(choice.region[order], np.arange(instance.regions + 1))
    for r in over.tolist():
        mine = order[starts[r]:starts[r + 1]]
        margin = choice.margin[mine]
        if persons[r] > instance.person_limit[r]:
            # A family stays while the rise per person stays below its margin per person: keep the largest
            # margins per person that fit, and price the first one that does not out.
            per_head = margin / instance.size[mine]
            ranked = np.argsort(-per_head, kind="stable")
            fitting = int(np.searchsorted(np.cumsum(instance.size[mine][ranked]), instance.person_limit[r], "right"))
            rise = per_head[ranked[fitting]]
            per_person[r] += rise + 1e-12 * (1.0 + abs(per_person[r]))
            staying = per_head > rise
            mine, margin = mine[staying], margin[staying] - rise * instance.size[mine][staying]
        if mine.size > instance.family_limit[r]:
            rise = -np.partition(-margin, int(instance.family_limit[r]))[int(instance.family_limit[r])]
            per_family[r] += rise + 1e-12 * (1.0 + abs(per_family[r]))
    return True


def market_prices(instance: Instance, *, sweeps: int, outside: float) -> tuple[Prices, Choices]:
    """Prices after at most `sweeps` rounds (fewer when every region's demand fits), and the choices at them."""
    per_family, per_person = np.zeros(instance.regions), np.zeros(instance.regions)
    choice = choices(instance, Prices(per_family, per_person), outside)
    for _ in range(sweeps):
        if not _raise_prices(instance, choice, per_family, per_person):
            break
        choice = choices(instance, Prices(per_family, per_person), outside)
    return Prices(per_family, per_person), choice


def best_bonus(best: Floats, placed: int) -> float:
    """The placement bonus mu that minimises sum_f max(0, b_f + mu) - mu k (convex in mu, of slope
    #{b_f > -mu} - k): mu = -b_(k), the k-th largest b_f, or 0 when that is positive."""
    if not 0 < placed <= best.size:
        return 0.0
    kth = float(-np.partition(-best, placed - 1)[placed - 1])
    return max(0.0, -kth) if np.isfinite(kth) else 0.0


def lagrangian_bound(instance: Instance, prices: Prices, placed: int) -> float:
    """The bound above for assignments that place at least `placed` families, at the best bonus mu."""
    prices = prices.valid(instance)
    values = reduced(instance, prices)
    best = values.max(axis=1) if instance.regions else np.full(instance.families, -np.inf)
    fixed = float((prices.per_family * np.where(np.isfinite(instance.family_limit), instance.family_limit, 0)).sum()
                  + (prices.per_person * np.where(np.isfinite(instance.person_limit), instance.person_limit, 0)).sum())
    mu = best_bonus(best, placed)
    return float(np.maximum(best + mu, 0.0).sum()) - mu * placed + fixed
