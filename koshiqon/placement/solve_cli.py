"""`koshiqon placement solve`: the best assignment of a batch of families to regions, from files.

    koshiqon placement solve --families FAMILIES.csv --regions REGIONS.csv --scores SCORES.csv --out OUT.csv

No database and no Django: the same solver as a placement batch in the system (koshiqon.placement.domain.assign)
on files whose formats docs/placement-solve-format.md describes, so that a ministry can place a batch, or check
one, from its own spreadsheets. It places as many families as the capacities allow, then maximises the sum of
the scores (a family's predicted employment in a region, preferences folded in); a missing score means the
region is not allowed for that family. It prints the objective and the bound it proved. Exit codes: 0 done
(even when some families could not be placed: they are listed), 2 a bad file or argument (nothing written),
1 OUT.csv not writable. The messages are in Kazakh, Russian or English (`--language`, else KOSHIQON_LANGUAGE or
the locale, else Kazakh), from the web application's catalogues through Python's gettext
(koshiqon.cli_language): the file readers build each error in English from a template, and this module
translates the template.
"""

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import numpy as np

from koshiqon.cli_language import (
    LANGUAGES,
    column_widths,
    file_error,
    gettext_noop,
    ngettext,
    number,
    override,
    percent,
    table_row,
    translated,
)
from koshiqon.cli_language import gettext as _
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

# The English templates of the file errors (koshiqon.placement.solve_files), each with its translation.
FILE_ERRORS = frozenset({
    gettext_noop("cannot be read: {reason}"),
    gettext_noop("is not UTF-8 text (save it as CSV UTF-8)"),
    gettext_noop("this column is missing from the header"),
    gettext_noop("this column appears twice in the header"),
    gettext_noop("is not valid CSV: {reason}"),
    gettext_noop("has {cells} cells where the header has {width}"),
    gettext_noop("{value!r} is not a whole number of persons"),
    gettext_noop("{value!r} is not a whole number"),
    gettext_noop("{value!r}: {column} cannot be less than {minimum}"),
    gettext_noop("{value!r} is not an ISO 3166-2 region code (KZ-55)"),
    gettext_noop("{value!r} is not a number"),
    gettext_noop("{value!r} is not a finite number"),
    gettext_noop("a family needs an id"),
    gettext_noop("the id {value!r} appears twice (first on line {first})"),
    gettext_noop("{value!r} is neither families nor persons"),
    gettext_noop("the region {region} already has a capacity in {unit}"),
    gettext_noop("{value!r} is not an id in {families}"),
    gettext_noop("a second score for the family {value!r} in {region} (the first is on line {first})"),
})


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options. Their help is read when the parser is built, so it is in the language of the environment
    (KOSHIQON_LANGUAGE or the locale), not of --language, which is parsed only then."""
    with override(None):
        parser.add_argument("--families", required=True, type=Path,
                            help=_("the families: id, size (FAMILIES.csv)"))
        parser.add_argument("--regions", required=True, type=Path,
                            help=_("the capacities: region, capacity, unit (REGIONS.csv)"))
        parser.add_argument("--scores", required=True, type=Path,
                            help=_("the allowed pairs: family_id, region, score (SCORES.csv)"))
        parser.add_argument("--out", required=True, type=Path, help=_("where to write the assignment (OUT.csv)"))
        parser.add_argument("--language", choices=LANGUAGES, default=None,
                            help=_("the language of the messages (default: KOSHIQON_LANGUAGE, else the locale, "
                                   "else kk)"))


def error_message(exc: SolveFileError) -> str:
    """A file error, "FILE, line N, field F: message", in the active language."""
    return file_error(exc.file, exc.line, exc.field, translated(exc.template, exc.params, FILE_ERRORS, exc.message))


def _families(count: int) -> str:
    return ngettext("{count} family", "{count} families", count).format(count=number(count))


def _persons(count: int) -> str:
    return ngettext("{count} person", "{count} persons", count).format(count=number(count))


def _limit(value: float) -> str:
    return "-" if not np.isfinite(value) else number(int(value))


def summary(
    families: Families, regions: Regions, extra: list[str], score: np.ndarray, result: "Assignment",
) -> list[str]:
    """What the command prints: the batch, the result with its bound, each region, the families not placed."""
    region = result.region
    placed = region >= 0
    codes = [*regions.codes, *extra]
    gap = result.gap
    verdict = _("proven optimal") if gap <= 1e-9 else _("at most {gap} below the best possible").format(
        gap=percent(gap, 4))
    pairs = int((~np.isnan(score)).sum())
    labels = [_("region"), _("family limit"), _("person limit"), _("families"), _("persons"), _("score")]
    widths = column_widths(labels, (10, 14, 14, 10, 10, 14))
    lines = [
        ngettext(
            "{families} ({persons}), {count} region, {pairs} allowed family-region pairs",
            "{families} ({persons}), {count} regions, {pairs} allowed family-region pairs",
            len(regions.codes),
        ).format(families=_families(len(families.ids)), persons=_persons(int(families.sizes.sum())),
                 count=number(len(regions.codes)), pairs=number(pairs)),
        _("placed: {families} ({persons}); not placed: {count}").format(
            families=_families(int(placed.sum())), persons=_persons(int(families.sizes[placed].sum())),
            count=number(int((~placed).sum()))),
        _("objective (sum of the scores of the placed families): {objective}").format(
            objective=number(result.objective, 4)),
        _("bound (no assignment placing at least as many families scores more): {bound}; {verdict}").format(
            bound=number(result.bound, 4), verdict=verdict),
        _("method: {method}, {seconds} s").format(method=result.method, seconds=number(result.seconds, 2)),
        "",
        table_row(labels[0], labels[1:], widths),
    ]
    for j, code in enumerate(codes):
        here = region == j
        limits = (regions.family_limit[j], regions.person_limit[j]) if j < len(regions.codes) else (0.0, np.inf)
        cells = [
            _limit(limits[0]), _limit(limits[1]), number(int(here.sum())), number(int(families.sizes[here].sum())),
            number(float(score[here, j].sum()) if here.any() else 0.0, 4),
        ]
        lines.append(table_row(code, cells, widths))
    if extra:
        lines += ["", _("regions with scores but no row in REGIONS.csv take nobody: {regions}").format(
            regions=", ".join(extra))]
    missing = [families.ids[i] for i in np.flatnonzero(~placed)[:LISTED].tolist()]
    if missing:
        count = int((~placed).sum())
        more = count - len(missing)
        lines += ["", _("not placed (no allowed region with room): {families}").format(families=_families(count)),
                  "  " + ", ".join(missing) + (" " + ngettext(
                      "and {count} more (its region is empty in OUT.csv)",
                      "and {count} more (their region is empty in OUT.csv)", more,
                  ).format(count=number(more)) if more else "")]
    return lines


def run(
    families_path: Path, regions_path: Path, scores_path: Path, out: Path,
    stdout: TextIO | None = None, stderr: TextIO | None = None, language: str | None = None,
) -> int:
    """The command; its messages in `language` (None: the one the environment asks for)."""
    with override(language):
        return _run(families_path, regions_path, scores_path, out, stdout or sys.stdout, stderr or sys.stderr)


def _run(families_path: Path, regions_path: Path, scores_path: Path, out: Path, stdout: TextIO, stderr: TextIO) -> int:
    from koshiqon.placement.domain.assign import solve_arrays  # the solvers load only when there is work

    try:
        families = read_families(families_path)
        regions = read_regions(regions_path)
        score, extra = read_scores(scores_path, families, regions)
    except SolveFileError as exc:
        print(f"{PROG}: {error_message(exc)}", file=stderr)
        return 2
    family_limit = np.concatenate([regions.family_limit, np.zeros(len(extra))])
    person_limit = np.concatenate([regions.person_limit, np.full(len(extra), np.inf)])
    result = solve_arrays(families.sizes, score, family_limit, person_limit)
    try:
        write_out(out, families, [*regions.codes, *extra], result.region, score)
    except OSError as exc:
        print(f"{PROG}: " + _("{path}: cannot be written: {reason}").format(path=out, reason=exc.strerror or exc),
              file=stderr)
        return 1
    for line in summary(families, regions, extra, score, result):
        print(line, file=stdout)
    print("\n" + _("written: {path}").format(path=out), file=stdout)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0] if __doc__ else None)
    add_arguments(parser)
    args = parser.parse_args(argv)
    return run(args.families, args.regions, args.scores, args.out, language=args.language)


if __name__ == "__main__":
    sys.exit(main())
