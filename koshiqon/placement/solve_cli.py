"""`koshiqon placement solve`: the best assignment of a batch of families to regions, from files.

    koshiqon placement solve --families FAMILIES.csv --regions REGIONS.csv --scores SCORES.csv --out OUT.csv

No database and no Django: the same solver as a placement batch in the system (koshiqon.placement.domain.assign)
on files whose formats docs/placement-solve-format.md describes, so that a ministry can place a batch, or check
one, from its own spreadsheets. It places as many families as the capacities allow, then maximises the sum of
the scores (a family's predicted employment in a region, preferences folded in); a missing score means the
region is not allowed for that family. It prints the objective and the bound it proved. Exit codes: 0 done
(even when some families could not be placed: they are listed), 2 a bad file or argument (nothing written),
1 OUT.csv not writable. The messages are English only: the command runs without the translation machinery of
the web application.
"""

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import numpy as np

from koshiqon.placement.solve_files import (
    Families,
    Regions,
    SolveFileError,
    read_families,
    read_regions,
    read_scores,
    write_out,
)

if TYPE_CHECKING:
    from koshiqon.placement.domain.assign import Assignment

PROG = "koshiqon placement solve"
LISTED = 20  # unplaced families named on the terminal (all of them are in OUT.csv, with an empty region)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--families", required=True, type=Path, help="the families: id, size (FAMILIES.csv)")
    parser.add_argument("--regions", required=True, type=Path,
                        help="the capacities: region, capacity, unit (REGIONS.csv)")
    parser.add_argument("--scores", required=True, type=Path,
                        help="the allowed pairs: family_id, region, score (SCORES.csv)")
    parser.add_argument("--out", required=True, type=Path, help="where to write the assignment (OUT.csv)")


def _families(count: int) -> str:
    return f"{count} family" if count == 1 else f"{count} families"


def _limit(value: float) -> str:
    return "-" if not np.isfinite(value) else str(int(value))


def summary(
    families: Families, regions: Regions, extra: list[str], score: np.ndarray, result: "Assignment",
) -> list[str]:
    """What the command prints: the batch, the result with its bound, each region, the families not placed."""
    region = result.region
    placed = region >= 0
    codes = [*regions.codes, *extra]
    gap = result.gap
    verdict = "proven optimal" if gap <= 1e-9 else f"at most {gap:.4%} below the best possible"
    lines = [
        f"{_families(len(families.ids))} ({int(families.sizes.sum())} persons), {len(regions.codes)} regions, "
        f"{int((~np.isnan(score)).sum())} allowed family-region pairs",
        f"placed: {_families(int(placed.sum()))} ({int(families.sizes[placed].sum())} persons); "
        f"not placed: {int((~placed).sum())}",
        f"objective (sum of the scores of the placed families): {result.objective:.4f}",
        f"bound (no assignment placing at least as many families scores more): {result.bound:.4f}; {verdict}",
        f"method: {result.method}, {result.seconds:.2f} s",
        "",
        f"{'region':<10}{'family limit':>14}{'person limit':>14}{'families':>10}{'persons':>10}{'score':>14}",
    ]
    for j, code in enumerate(codes):
        here = region == j
        limits = (regions.family_limit[j], regions.person_limit[j]) if j < len(regions.codes) else (0.0, np.inf)
        lines.append(
            f"{code:<10}{_limit(limits[0]):>14}{_limit(limits[1]):>14}{int(here.sum()):>10}"
            f"{int(families.sizes[here].sum()):>10}{float(score[here, j].sum()) if here.any() else 0.0:>14.4f}"
        )
    if extra:
        lines += ["", f"regions with scores but no row in REGIONS.csv take nobody: {', '.join(extra)}"]
    missing = [families.ids[i] for i in np.flatnonzero(~placed)[:LISTED].tolist()]
    if missing:
        more = int((~placed).sum()) - len(missing)
        lines += ["", f"not placed (no allowed region with room): {_families(int((~placed).sum()))}",
                  "  " + ", ".join(missing) + (f" and {more} more (their region is empty in OUT.csv)" if more else "")]
    return lines


def run(
    families_path: Path, regions_path: Path, scores_path: Path, out: Path,
    stdout: TextIO | None = None, stderr: TextIO | None = None,
) -> int:
    from koshiqon.placement.domain.assign import solve_arrays  # the solvers load only when there is work

    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    try:
        families = read_families(families_path)
        regions = read_regions(regions_path)
        score, extra = read_scores(scores_path, families, regions)
    except SolveFileError as exc:
        print(f"{PROG}: {exc}", file=stderr)
        return 2
    family_limit = np.concatenate([regions.family_limit, np.zeros(len(extra))])
    person_limit = np.concatenate([regions.person_limit, np.full(len(extra), np.inf)])
    result = solve_arrays(families.sizes, score, family_limit, person_limit)
    try:
        write_out(out, families, [*regions.codes, *extra], result.region, score)
    except OSError as exc:
        print(f"{PROG}: {out}: cannot be written: {exc.strerror or exc}", file=stderr)
        return 1
    for line in summary(families, regions, extra, score, result):
        print(line, file=stdout)
    print(f"\nwritten: {out}", file=stdout)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0] if __doc__ else None)
    add_arguments(parser)
    args = parser.parse_args(argv)
    return run(args.families, args.regions, args.scores, args.out)


if __name__ == "__main__":
    sys.exit(main())
