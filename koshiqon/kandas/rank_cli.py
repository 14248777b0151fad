"""`koshiqon kandas rank`: rank a ministry's spreadsheet of applicants against a grid and regional quotas.

    koshiqon kandas rank --grid GRID.json --applicants APPLICANTS.csv --quota QUOTA.csv --out RESULT.csv

No database and no Django: the same scoring and ranking as a selection run (koshiqon.kandas.domain), on files
whose formats docs/kandas-rank-formats.md describes, so that a ministry can check a selection, or try a grid,
on its own data. Exit codes: 0 done, 2 a bad file or argument (nothing written), 1 RESULT.csv not writable.
The messages are English only: the command runs without the translation machinery of the web application.
"""

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

import numpy as np

from koshiqon.kandas.domain.files import (
    Applicants,
    RankFileError,
    read_applicants,
    read_grid,
    read_quota,
    write_result,
)
from koshiqon.kandas.domain.grid import Grid
from koshiqon.kandas.domain.ranking import (
    DECISION_NAMES,
    INCLUDED,
    INELIGIBLE,
    WAITLISTED,
    Quota,
    Ranking,
    rank,
)
from koshiqon.kandas.domain.scoring import Scores, format_points, score_rows

PROG = "koshiqon kandas rank"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--grid", required=True, type=Path, help="the criteria grid (GRID.json)")
    parser.add_argument("--applicants", required=True, type=Path, help="the applicants (APPLICANTS.csv)")
    parser.add_argument("--quota", required=True, type=Path, help="the regional quotas (QUOTA.csv)")
    parser.add_argument("--out", required=True, type=Path, help="where to write the result (RESULT.csv)")


def rank_applicants(grid: Grid, applicants: Applicants, quotas: Mapping[str, Quota]) -> tuple[Scores, Ranking]:
    """Score every applicant and fill the quotas: the whole computation of the command, files aside."""
    scores = score_rows(grid, applicants.features)
    ranking = rank(
        applicants.id_keys, applicants.regions, applicants.applied_at, applicants.sizes,
        scores.total, scores.eligible, quotas,
    )
    return scores, ranking


def summary(grid: Grid, applicants: Applicants, quotas: Mapping[str, Quota], ranking: Ranking) -> list[str]:
    """What the command prints: counts per decision, then per region (quota, admitted, persons, the rest)."""
    counts = np.bincount(ranking.decision, minlength=len(DECISION_NAMES))
    lines = [
        f"{len(applicants)} applicants ranked with the grid {grid.name!r} (pass mark {format_points(grid.pass_mark)})",
        ", ".join(f"{name} {int(counts[code])}" for code, name in enumerate(DECISION_NAMES)),
        "",
        f"{'region':<10}{'quota':>18}{'included':>10}{'persons':>9}{'waitlisted':>12}{'ineligible':>12}",
    ]
    names = applicants.regions.categories.tolist()
    for region in sorted(set(names) | set(quotas)):
        here = applicants.regions.codes == (names.index(region) if region in names else -1)
        decided = ranking.decision[here]
        included = decided == INCLUDED
        quota = quotas.get(region)
        lines.append(
            f"{region:<10}{(f'{quota.amount} {quota.unit}' if quota else 'no quota'):>18}"
            f"{int(included.sum()):>10}{int(applicants.sizes[here][included].sum()):>9}"
            f"{int((decided == WAITLISTED).sum()):>12}{int((decided == INELIGIBLE).sum()):>12}"
        )
    return lines


def run(
    grid_path: Path, applicants_path: Path, quota_path: Path, out: Path,
    stdout: TextIO | None = None, stderr: TextIO | None = None,
) -> int:
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    try:
        grid = read_grid(grid_path)
        quotas = read_quota(quota_path)
        applicants = read_applicants(applicants_path, grid)
    except RankFileError as exc:
        print(f"{PROG}: {exc}", file=stderr)
        return 2
    scores, ranking = rank_applicants(grid, applicants, quotas)
    try:
        write_result(out, grid, applicants, scores, ranking)
    except OSError as exc:
        print(f"{PROG}: {out}: cannot be written: {exc.strerror or exc}", file=stderr)
        return 1
    for line in summary(grid, applicants, quotas, ranking):
        print(line, file=stdout)
    print(f"\nwritten: {out}", file=stdout)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0] if __doc__ else None)
    add_arguments(parser)
    args = parser.parse_args(argv)
    return run(args.grid, args.applicants, args.quota, args.out)


if __name__ == "__main__":
    sys.exit(main())
