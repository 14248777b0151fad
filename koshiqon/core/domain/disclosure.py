"""Small cells: figures about so few people that a reader could tell who they are (statistical disclosure).

One threshold for the whole system: a count of 1 to MIN_CELL - 1 persons is shown as "fewer than MIN_CELL",
never as its number, and a rate over fewer than MIN_CELL persons is not shown (the adaptation overview). Zero
is shown: it singles out nobody, and it shows where a gap is. In a table whose total is shown, hiding one cell
alone is not enough (total minus the others gives it back), so the next smallest cell is hidden with it
(`suppressed`).
"""

from collections.abc import Sequence

MIN_CELL = 5


def is_small(count: int, min_cell: int = MIN_CELL) -> bool:
    """A count that would single people out: at least one person, fewer than `min_cell`."""
    return 0 < count < min_cell


def fold_small(rows: list[tuple[str, int]], min_cell: int = MIN_CELL) -> tuple[list[tuple[str, int]], int]:
    """Named groups with their counts, largest first, split into those that may be named (at least `min_cell`
    persons, or none) and the persons of the small ones counted together: (kept rows, folded count)."""
    kept = [(name, n) for name, n in rows if not is_small(n, min_cell)]
    folded = sum(n for _, n in rows if is_small(n, min_cell))
    return kept, folded


def suppressed(counts: Sequence[int], min_cell: int = MIN_CELL) -> set[int]:
    """The positions of the cells of one table (whose total is shown) to show without their number: every
    small cell, and when only one cell is small, also the smallest other non-zero cell, so that the small one
    cannot be worked out from the total."""
    hidden = {i for i, n in enumerate(counts) if is_small(n, min_cell)}
    if len(hidden) == 1:
        others = [(n, i) for i, n in enumerate(counts) if i not in hidden and n > 0]
        if others:
            hidden.add(min(others)[1])
    return hidden
