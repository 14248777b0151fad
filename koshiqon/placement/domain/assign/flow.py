"""Family-count limits: an exact solution by min-cost flow (OR-Tools), with a certificate of optimality.

Families and regions form a transportation network (source -> family, capacity 1 -> allowed region, worth the
score -> sink, capacity the region's limit); `solve_max_flow_with_min_cost` places as many families as
possible and, among those placements, maximises the total score. Scores are scaled to whole numbers by a power
of ten (exactly, when they have few decimals, as probabilities usually have).

A large batch is not sent whole to the flow. A random tenth of it is solved first, each limit shrunk in
proportion, and its region prices (what a place in each region is worth at the margin) are applied to every
family: one far ahead of its second choice at those prices keeps its first, and only the others (a few
thousand) go through the flow, against what the settled families leave of each region. The result is then
checked: prices proving it optimal are looked for as longest paths in a graph of the regions (an edge r -> r'
is the best gain of moving a family placed in r to r'; a cycle of positive gain, or a chain from an unplaced
family to a region with room, means the result can be improved). A settled family that the flow's prices
would move joins the flow, which runs again; in the end, if need be, with every family, when the flow alone is
exact. The proof's prices give the reported bound, computed on the real (unscaled) scores, so rounding in the
scaling cannot hide in it.
"""

import math

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow

from koshiqon.placement.domain.assign.prices import Ints, Prices, choices, lagrangian_bound, loads
from koshiqon.placement.domain.assign.select import free_families, outside_value
from koshiqon.placement.domain.assign.types import Assignment, Instance, Tuning

METHOD = "min-cost flow (OR-Tools)"
# The largest scaled score: the flow's total cost (families x score) must stay far inside 64 bits.
LARGEST_COST = 2**30
NO_ARC = -(2**61)


def integer_costs(instance: Instance) -> tuple[NDArray[np.int64], float]:
    """The scores as whole numbers (NO_ARC where a region is not allowed) and the scale used: the smallest
    power of ten that makes every score whole (scores with few decimals are then exact, and the flow, whose
    time grows with the range of the costs, is faster), else the largest that fits."""
    finite = np.where(instance.allowed, instance.score, 0.0)
    largest = float(np.abs(finite).max()) if finite.size else 0.0
    # Scores too small to matter (below 1e-15) round to 0: the bound, on the real scores, stays honest.
    scale = 10.0 ** min(math.floor(math.log10(LARGEST_COST) - math.log10(largest)), 15) if largest > 0 else 1.0
    probe = finite.reshape(-1)[:10_000]
    for digits in range(int(round(math.log10(scale))) + 1 if largest > 0 else 0):
        shifted = probe * 10.0**digits
        if np.abs(shifted - np.round(shifted)).max() <= 1e-9 * max(1.0, float(np.abs(shifted).max())):
            whole = finite * 10.0**digits
            if np.abs(whole - np.round(whole)).max() <= 1e-9 * max(1.0, largest * 10.0**digits):
                scale = 10.0**digits
            break
    costs = np.where(instance.allowed, np.round(finite * scale), NO_ARC).astype(np.int64)
    return costs, scale


def _flow(costs: NDArray[np.int64], members: Ints, room: NDArray[np.float64]) -> Ints:
    """The best placement of the `members` (rows of `costs`) into regions with `room` left: the region of
    each member, -1 when it cannot be placed."""
    m, regions = members.size, costs.shape[1]
    if not m:
        return np.zeros(0, dtype=np.int64)
    family, region = np.nonzero(costs[members] != NO_ARC)
    source, sink = m + regions, m + regions + 1
    graph = min_cost_flow.SimpleMinCostFlow()
    arcs = graph.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([np.full(m, source), family, m + np.arange(regions)]).astype(np.int32),
        np.concatenate([np.arange(m), m + region, np.full(regions, sink)]).astype(np.int32),
        np.concatenate([np.ones(m + family.size), np.minimum(room, m)]).astype(np.int64),
        np.concatenate([np.zeros(m, np.int64), -costs[members[family], region], np.zeros(regions, np.int64)]),
    )
    graph.set_nodes_supplies(np.array([source, sink], np.int32), np.array([m, -m], np.int64))
    status = graph.solve_max_flow_with_min_cost()
    if status != graph.OPTIMAL:
        raise RuntimeError(f"the min-cost flow solver stopped with {status}")
    used = graph.flows(np.asarray(arcs, np.int32)[m:m + family.size]) > 0
    placed = np.full(m, -1, dtype=np.int64)
    placed[family[used]] = region[used]
    return placed


def certify(
    costs: NDArray[np.int64], region: Ints, limit: NDArray[np.float64], movers: Ints | None = None,
    start: Ints | None = None,
) -> tuple[Ints, int] | None:
    """Region prices and a placement bonus (scaled, whole numbers) proving that `region` places as many
    families as possible and, among such placements, has the best total of `costs`; None when there are none,
    that is, when the placement can be improved. With `movers`, only those families' moves are considered:
    the prices then prove the best placement of the movers, the other families staying where they are. The
    prices found are the least ones at or above `start` (in a full region; zero elsewhere)."""
    regions = costs.shape[1]
    placed = region >= 0
    full = np.bincount(region[placed], minlength=regions) >= limit
    movers = np.arange(region.size) if movers is None else movers
    gain = np.full((regions + 2, regions + 2), NO_ARC, dtype=np.int64)  # regions, then zero (Z) and bonus (O)
    zero, bonus = regions, regions + 1
    members = movers[placed[movers]]
    if members.size:
        order = members[np.argsort(region[members], kind="stable")]
        own = costs[order, region[order]]
        moves = np.where(costs[order] == NO_ARC, NO_ARC, costs[order] - own[:, None])
        present = np.unique(region[order])
        starts = np.searchsorted(region[order], present)
        gain[present, :regions] = np.maximum.reduceat(moves, starts, axis=0)
    # Every placed family, mover or not, bounds the bonus from below (it must not prefer to be unplaced).
    everyone_placed = np.flatnonzero(placed)
    if everyone_placed.size:
        lowest = np.full(regions, np.iinfo(np.int64).max)
        np.minimum.at(lowest, region[everyone_placed], costs[everyone_placed, region[everyone_placed]])
        gain[np.flatnonzero(lowest < np.iinfo(np.int64).max), bonus] = -lowest[lowest < np.iinfo(np.int64).max]
    waiting = movers[~placed[movers] & (costs[movers] != NO_ARC).any(axis=1)]
    if waiting.size:
        # As many as possible: no chain of moves may lead from an unplaced family to a region with room.
        reach = (costs[waiting] != NO_ARC).any(axis=0)
        step = gain[:regions, :regions] != NO_ARC
        for _ in range(regions):
            reach = reach | step[reach].any(axis=0)
        if (reach & ~full).any():
            return None
        gain[bonus, :regions] = costs[waiting].max(axis=0)
    gain[zero, :regions] = 0
    gain[zero, bonus] = 0
    gain[np.flatnonzero(~full), zero] = 0
    np.fill_diagonal(gain, NO_ARC)
    # Longest paths from Z (Bellman-Ford on a handful of nodes): they exist exactly when no cycle gains.
    potential = np.zeros(regions + 2, dtype=np.int64)
    if start is not None:
        potential[:regions] = np.where(full, np.maximum(start, 0), 0)
    for _ in range(regions + 3):
        reached = np.where(gain != NO_ARC, potential[:, None] + gain, NO_ARC).max(axis=0)
        updated = np.maximum(potential, reached)
        if np.array_equal(updated, potential):
            return (potential[:regions], int(potential[bonus])) if potential[zero] == 0 else None
        potential = updated
    return None


def unsettled(
    costs: NDArray[np.int64], region: Ints, kept: NDArray[np.bool_], proof: tuple[Ints, int],
) -> NDArray[np.bool_]:
    """The `kept` families that the proof's prices show would do better elsewhere, or placed, or unplaced."""
    potential, bonus = proof
    values = np.where(costs == NO_ARC, NO_ARC, costs - potential[None, :])
    best = values.max(axis=1)
    own = np.full(region.size, NO_ARC, dtype=np.int64)
    placed = np.flatnonzero(region >= 0)
    own[placed] = values[placed, region[placed]]
    moved = (region >= 0) & ((own < best) | (own + bonus < 0))
    joined = (region < 0) & (best != NO_ARC) & (best + bonus > 0)
    result: NDArray[np.bool_] = kept & (moved | joined)
    return result


def _sample_prices(
    instance: Instance, costs: NDArray[np.int64], scale: float, placeable: NDArray[np.bool_], share: float,
) -> tuple[Ints, float]:
    """Region prices (scaled) and the value of staying unplaced, from the exact solution of a random share of
    the families with each limit shrunk in proportion: prices clear the market of the whole batch nearly as
    well as they clear the sample's (seeded: the same batch gives the same result)."""
    pool = np.flatnonzero(placeable)
    pick = np.sort(np.random.default_rng(0).choice(pool, max(1, int(pool.size * share)), replace=False))
    limit = np.floor(instance.family_limit * (pick.size / pool.size))
    region = _flow(costs, pick, limit)
    proof = certify(costs[pick], region, limit)
    if proof is None:
        return np.zeros(instance.regions, dtype=np.int64), outside_value(instance)
    unplaced = (region < 0).any()
    return proof[0], -proof[1] / scale if unplaced else outside_value(instance)


def solve_families(instance: Instance, tuning: Tuning) -> Assignment:
    """Family-count limits only: optimal (places as many families as possible, then the best total score)."""
    costs, scale = integer_costs(instance)
    placeable = instance.placeable
    # Up to four times the free set, the whole flow is about as fast as sampling and checking: no decomposition.
    everyone = tuning.flow_families * 4 >= placeable.sum()
    start, outside = np.zeros(instance.regions, dtype=np.int64), outside_value(instance)
    if not everyone:
        start, outside = _sample_prices(instance, costs, scale, placeable, tuning.sample)
    choice = choices(instance, Prices(start / scale, np.zeros(instance.regions)), outside)
    free = placeable if everyone else free_families(instance, choice, tuning.flow_families)
    proof, grown = None, 0
    while True:
        region = np.where(free | ~placeable, -1, choice.region)
        families, _persons = loads(instance, region)
        members = np.flatnonzero(free)
        region[members] = _flow(costs, members, instance.family_limit - families)
        if everyone:
            proof = certify(costs, region, instance.family_limit)
            break
        # The flow's prices, checked against the families left where the sample's prices put them: any that
        # would do better elsewhere joins the flow, which runs again (in the end with every family).
        partial = certify(costs, region, instance.family_limit, members, start) \
            or certify(costs, region, instance.family_limit, members)
        moving = unsettled(costs, region, placeable & ~free, partial) if partial is not None else placeable
        if not moving.any() and (proof := certify(costs, region, instance.family_limit)) is not None:
            break
        grown += 1
        everyone = grown > tuning.rounds or not moving.any()
        free = placeable if everyone else free | moving
    placed = int((region >= 0).sum())
    bound = lagrangian_bound(instance, Prices(start / scale, np.zeros(instance.regions)), placed)
    if proof is not None:
        bound = min(bound, lagrangian_bound(instance, Prices(proof[0] / scale, np.zeros(instance.regions)), placed))
    objective = float(instance.score[region >= 0, region[region >= 0]].sum())
    return Assignment(region, objective, max(bound, objective), METHOD)


__all__ = ["certify", "choices", "integer_costs", "solve_families", "unsettled"]
