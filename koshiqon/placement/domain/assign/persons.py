"""Person-count limits: LP relaxation (HiGHS) and rounding, or one exact MIP for a small batch.

With limits in persons the problem is a generalised assignment problem (a family weighs its size wherever it
goes), NP-hard in general; its LP relaxation is not. A basic LP solution splits few families between regions
(at most about one per limit that is tight), so rounding loses little: families the LP places whole keep their
region, and a small MIP re-solves the split ones together with the families nearest a tie (`polish`).

On a large batch the LP is not solved whole (HiGHS takes minutes on 100,000 families x 20 regions): region
prices (prices.py) settle most families, the LP decides the rest against what the settled ones leave, and any
settled family that the LP's prices show would rather be elsewhere is freed and the LP solved again, until the
prices agree with every settled family (then the LP of the whole batch is solved exactly) or the rounds run
out. The bound is the Lagrangian bound at the best prices seen, valid whatever the rounds did."""

import numpy as np

from koshiqon.placement.domain.assign.linear import Outcome, Part
from koshiqon.placement.domain.assign.prices import (
    Floats,
    Ints,
    Prices,
    best_bonus,
    choices,
    lagrangian_bound,
    loads,
    market_prices,
    reduced,
)
from koshiqon.placement.domain.assign.select import free_families, outside_value
from koshiqon.placement.domain.assign.types import Assignment, Instance, Tuning, relative_gap

METHOD_MIP = "MIP (HiGHS)"
METHOD_LP = "LP (HiGHS) + rounding"
# When HiGHS stops before it has any solution (time limit, failure): the fallback says so.
METHOD_GREEDY = "greedy (HiGHS did not finish)"
METHOD_PRICES = "region prices + greedy (HiGHS did not finish)"
CLOSE_ENOUGH = 1e-5


def solve_persons(instance: Instance, tuning: Tuning) -> Assignment:
    placeable = instance.placeable
    everyone = np.flatnonzero(placeable)
    if everyone.size <= tuning.mip_families:
        part = Part(instance, everyone, instance.family_limit, instance.person_limit)
        outcome = part.solve(integer=True, seconds=tuning.mip_seconds)
        region = np.full(instance.families, -1, dtype=np.int64)
        region[everyone] = part.regions_of(outcome.value)
        region = finish(instance, region)
        objective = _objective(instance, region)
        # HiGHS's bound, or (when it ran out of time before it had one) the bound at zero prices.
        bound = min(outcome.bound, lagrangian_bound(instance, Prices.zero(instance.regions), int((region >= 0).sum())))
        method = METHOD_MIP if np.isfinite(outcome.bound) else METHOD_GREEDY
        return Assignment(region, objective, max(objective, bound), method)

    prices, choice = market_prices(instance, sweeps=tuning.sweeps, outside=outside_value(instance))
    free = free_families(instance, choice, tuning.lp_families) if tuning.lp_families < everyone.size \
        else placeable.copy()
    candidates = [prices]
    solved: tuple[Ints, Part, Outcome] | None = None
    # When the prices already leave families out, not all of them fit: the LP need not try to place them all.
    everyone_fits = not (placeable & (choice.region < 0)).any()
    previous: float | None = None
    for round_ in range(tuning.rounds + 1):
        kept = np.where(free | ~placeable, -1, choice.region)
        families, persons = loads(instance, kept)
        part = Part(instance, np.flatnonzero(free), instance.family_limit - families, instance.person_limit - persons)
        outcome = part.solve(integer=False, seconds=tuning.mip_seconds, everyone=everyone_fits)
        if outcome.prices is None or not np.isfinite(outcome.bound):
            break  # out of time: keep the previous round
        solved = kept, part, outcome
        everyone_fits = everyone_fits and outcome.count >= part.members.size - 1e-6
        placed = int((kept >= 0).sum()) + int(np.floor(outcome.count + 1e-6))
        candidates.append(outcome.prices)
        # Settled families that the LP's prices would move join the LP (the worst first, a bounded number, so
        # that the LP stays small): when none would move, this is the LP optimum of the whole batch. Rounds
        # stop early too once the LP is within a hundredth of the 0.1 % target of its bound, or the bound no
        # longer moves (when not all fit, the LP weighs the count, and its prices bound a little above it).
        loss = _unsettled(instance, kept, outcome.prices, placed) * (placeable & ~free)
        value = _objective(instance, kept) + outcome.objective
        bound = lagrangian_bound(instance, outcome.prices, placed)
        close = relative_gap(value, bound) <= CLOSE_ENOUGH or (
            previous is not None and relative_gap(bound, previous) <= CLOSE_ENOUGH)
        previous = bound
        if not loss.any() or close or round_ == tuning.rounds:
            break
        worst = np.argsort(-loss, kind="stable")[:min(int((loss > 0).sum()), tuning.lp_families)]
        free[worst] = True

    if solved is None:
        region = np.where(placeable, choice.region, -1)  # the prices' choices; finish() repairs any excess
    else:
        kept, part, outcome = solved
        region = kept.copy()
        region[part.members] = part.regions_of(outcome.value)
        split = part.members[part.fractional(outcome.value)]
        region[split] = -1
        region = polish(instance, finish(instance, region), split, outcome.prices, tuning)
    region = finish(instance, region)
    objective = _objective(instance, region)
    placed = int((region >= 0).sum())
    bound = min(lagrangian_bound(instance, p, placed) for p in candidates)
    return Assignment(region, objective, max(bound, objective), METHOD_LP if solved else METHOD_PRICES)


def _unsettled(instance: Instance, kept: Ints, prices: Prices, placed: int) -> Floats:
    """How much better each settled family would do, at these prices, elsewhere (or unplaced, or placed)."""
    values = reduced(instance, prices.valid(instance))
    best = values.max(axis=1)
    bonus = best_bonus(best, placed)
    tolerance = 1e-9 * (1.0 + np.abs(np.where(np.isfinite(best), best, 0.0)))
    loss = np.zeros(instance.families)
    rows = np.flatnonzero(kept >= 0)
    own = values[rows, kept[rows]]
    loss[rows] = np.maximum(best[rows] - own, -(own + bonus))
    waiting = np.flatnonzero((kept < 0) & np.isfinite(best))
    loss[waiting] = best[waiting] + bonus
    return np.where(loss > tolerance, loss, 0.0)


def polish(instance: Instance, region: Ints, split: Ints, prices: Prices | None, tuning: Tuning) -> Ints:
    """Re-solve exactly (MIP) a neighbourhood of the rounded LP solution: the families the LP split, the
    families left unplaced, and the families nearest a tie at the LP's prices, up to `mip_families`, in the
    room the others leave. Kept only when it places more families, or as many with a better score."""
    placeable = instance.placeable
    budget = tuning.mip_families
    chosen = np.zeros(instance.families, dtype=bool)
    chosen[split[:budget]] = True
    waiting = np.flatnonzero((region < 0) & placeable & ~chosen)
    best = np.where(instance.allowed[waiting], instance.score[waiting], -np.inf).max(axis=1)
    chosen[waiting[np.argsort(-best, kind="stable")][:max(0, (budget - int(chosen.sum())) // 2)]] = True
    if prices is not None and budget > chosen.sum():
        margin = choices(instance, prices.valid(instance), outside_value(instance)).margin
        margin = np.where((region >= 0) & ~chosen, margin, np.inf)
        nearest = np.argsort(margin, kind="stable")[:budget - int(chosen.sum())]
        chosen[nearest[np.isfinite(margin[nearest])]] = True
    members = np.flatnonzero(chosen)
    if not members.size:
        return region
    rest = np.where(chosen, -1, region)
    families, persons = loads(instance, rest)
    part = Part(instance, members, instance.family_limit - families, instance.person_limit - persons)
    found = part.regions_of(part.solve(integer=True, seconds=tuning.mip_seconds).value)
    before, after = region[members], found
    better = (int((after >= 0).sum()), _objective_of(instance, members, after)) > \
        (int((before >= 0).sum()), _objective_of(instance, members, before))
    if better:
        rest[members] = found
        return rest
    return region


def _objective_of(instance: Instance, members: Ints, region: Ints) -> float:
    placed = region >= 0
    return float(instance.score[members[placed], region[placed]].sum())


def _objective(instance: Instance, region: Ints) -> float:
    placed = region >= 0
    return float(instance.score[placed, region[placed]].sum())


def finish(instance: Instance, region: Ints) -> Ints:
    """Make sure no limit is exceeded (a safeguard: the steps before respect them), then place, best score
    first, any unplaced family that still fits in a region it may go to."""
    region = region.copy()
    families, persons = loads(instance, region)
    for r in np.flatnonzero((families > instance.family_limit) | (persons > instance.person_limit)).tolist():
        here = np.flatnonzero(region == r)
        for f in here[np.argsort(instance.score[here, r], kind="stable")].tolist():
            if families[r] <= instance.family_limit[r] and persons[r] <= instance.person_limit[r]:
                break
            region[f] = -1
            families[r] -= 1
            persons[r] -= instance.size[f]
    room_families: Floats = instance.family_limit - families
    room_persons: Floats = instance.person_limit - persons
    waiting = np.flatnonzero((region < 0) & instance.placeable)
    if not waiting.size:
        return region
    fits = instance.allowed[waiting] & (room_families >= 1) & (room_persons >= instance.size[waiting, None])
    waiting = waiting[fits.any(axis=1)]
    order = waiting[np.argsort(-instance.score[waiting].max(axis=1), kind="stable")]
    for f in order.tolist():
        open_ = instance.allowed[f] & (room_families >= 1) & (room_persons >= instance.size[f])
        if open_.any():
            r = int(np.argmax(np.where(open_, instance.score[f], -np.inf)))
            region[f] = r
            room_families[r] -= 1
            room_persons[r] -= instance.size[f]
    return region
