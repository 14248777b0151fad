"""Which families the exact (flow) or LP step decides, and which keep the choice the region prices give them."""

import numpy as np
from numpy.typing import NDArray

from koshiqon.placement.domain.assign.prices import Choices, loads
from koshiqon.placement.domain.assign.types import Instance


def placement_bonus(instance: Instance) -> float:
    """What placing one more family is worth against scores, when the two are weighed in one number (region
    prices, the LP of a large batch that cannot place everyone): ten times the score spread, per person of the
    largest family, so that placing more families comes first in practice, yet small enough that scores do
    not vanish in the rounding of floating point (an exact count first is left to the flow and the MIP)."""
    if not instance.allowed.any():
        return 1.0
    scores = instance.score[instance.allowed]
    spread = float(scores.max() - scores.min())
    return 10.0 * (spread + 1.0) * (float(instance.size.max()) + 1.0)


def outside_value(instance: Instance) -> float:
    """What staying unplaced is worth to a family when region prices are set: the lowest score less the
    placement bonus, so that placing families comes first."""
    if not instance.allowed.any():
        return -1.0
    return float(instance.score[instance.allowed].min()) - placement_bonus(instance)


def free_families(instance: Instance, choice: Choices, target: int) -> NDArray[np.bool_]:
    """About `target` families closest to a tie between their two best choices, plus, in each region that the
    others would overfill, the families that hold their place there by the smallest margin, until the rest fit.
    Families with no allowed region are never free (nothing can be decided for them)."""
    placeable = instance.placeable
    margin = np.where(placeable, choice.margin, np.inf)
    free = np.zeros(instance.families, dtype=bool)
    if target > 0:
        cut = np.partition(margin, min(target, margin.size) - 1)[min(target, margin.size) - 1]
        free = placeable & (margin <= cut)
    kept = np.where(free, -1, choice.region)
    families, persons = loads(instance, kept)
    order = np.argsort(kept, kind="stable")
    starts = np.searchsorted(kept[order], np.arange(instance.regions + 1))
    for r in np.flatnonzero((families > instance.family_limit) | (persons > instance.person_limit)).tolist():
        mine = order[starts[r]:starts[r + 1]]
        size = instance.size[mine]
        ranked = mine[np.argsort(margin[mine] / size, kind="stable")]
        # Free from the weakest hold until both the families and the persons left fit.
        too_many = families[r] - instance.family_limit[r]
        too_heavy = persons[r] - instance.person_limit[r]
        need_families = int(max(too_many, 0))
        need_persons = int(np.searchsorted(np.cumsum(instance.size[ranked]), too_heavy, "left")) + 1 \
            if too_heavy > 0 else 0
        free[ranked[:max(need_families, need_persons)]] = True
    return free
