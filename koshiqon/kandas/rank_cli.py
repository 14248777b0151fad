"""`koshiqon kandas rank`: rank a ministry's spreadsheet of applicants against a grid and regional quotas.

    koshiqon kandas rank --grid GRID.json --applicants APPLICANTS.csv --quota QUOTA.csv --out RESULT.csv

No database and no Django: the same scoring and ranking as a selection run (koshiqon.kandas.domain), on files
whose formats docs/kandas-rank-formats.md describes, so that a ministry can check a selection, or try a grid,
on its own data. Exit codes: 0 done, 2 a bad file or argument (nothing written), 1 RESULT.csv not writable.
The messages are in Kazakh, Russian or English (`--language`, else KOSHIQON_LANGUAGE or the locale, else
Kazakh), from the web application's catalogues through Python's gettext (koshiqon.cli_language): the file
readers build each error in English from a template, and this module translates the template.
"""

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

import numpy as np

from koshiqon.cli_language import (
    LANGUAGES,
    column_widths,
    file_error,
    gettext_noop,
    ngettext,
    number,
    override,
    table_row,
    translated,
)
from koshiqon.cli_language import gettext as _
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

# The English templates of the file errors (koshiqon.kandas.domain.files) that have a translation. An error
# whose template is not here (the grid's schema errors, worded by pydantic) is printed in English.
FILE_ERRORS = frozenset({
    gettext_noop("not valid JSON: {reason}"),
    gettext_noop("cannot be read: {reason}"),
    gettext_noop("is not UTF-8 text (save it as CSV UTF-8)"),
    gettext_noop("has {cells} cells where the header has {width}"),
    gettext_noop("this column is missing from the header"),
    gettext_noop("this column appears twice in the header"),
    gettext_noop("is not valid CSV: {reason}"),
    gettext_noop("{value!r} is not an ISO 3166-2 region code (KZ-55)"),
    gettext_noop("{value!r} is not an ISO date-time (2026-03-01T09:30:00)"),
    gettext_noop("{value!r} is not a number"),
    gettext_noop("an applicant needs an id"),
    gettext_noop("the id {value!r} appears twice"),
    gettext_noop("{value!r} is not a whole number of persons"),
    gettext_noop("a family has at least 1 person, not {value}"),
    gettext_noop("the region {value} appears twice"),
    gettext_noop("{value!r} is not a whole number"),
    gettext_noop("a quota cannot be negative ({value})"),
    gettext_noop("{value!r} is neither families nor persons"),
})
DECISION_LABELS = {"included": gettext_noop("included"), "waitlisted": gettext_noop("waitlisted"),
                   "ineligible": gettext_noop("ineligible")}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options. Their help is read when the parser is built, so it is in the language of the environment
    (KOSHIQON_LANGUAGE or the locale), not of --language, which is parsed only then."""
    with override(None):
        parser.add_argument("--grid", required=True, type=Path, help=_("the criteria grid (GRID.json)"))
        parser.add_argument("--applicants", required=True, type=Path, help=_("the applicants (APPLICANTS.csv)"))
        parser.add_argument("--quota", required=True, type=Path, help=_("the regional quotas (QUOTA.csv)"))
        parser.add_argument("--out", required=True, type=Path, help=_("where to write the result (RESULT.csv)"))
        parser.add_argument("--language", choices=LANGUAGES, default=None,
                            help=_("the language of the messages (default: KOSHIQON_LANGUAGE, else the locale, "
                                   "else kk)"))


def error_message(exc: RankFileError) -> str:
    """A file error, "FILE, line N, field F: message", in the active language."""
    return file_error(exc.file, exc.line, exc.field, translated(exc.template, exc.params, FILE_ERRORS, exc.message))


def _quota_text(quota: Quota) -> str:
    if quota.unit == "families":
        return ngettext("{count} family", "{count} families", quota.amount).format(count=number(quota.amount))
    return ngettext("{count} person", "{count} persons", quota.amount).format(count=number(quota.amount))


def _pass_mark(value: float) -> str:
    return format_points(value) if float(value).is_integer() else number(float(value))


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
    labels = [_("region"), _("quota"), _(DECISION_LABELS["included"]), _("persons"), _(DECISION_LABELS["waitlisted"]),
              _(DECISION_LABELS["ineligible"])]
    widths = column_widths(labels, (10, 18, 10, 9, 12, 12))
    lines = [
        ngettext(
            "{count} applicant ranked with the grid {grid!r} (pass mark {pass_mark})",
            "{count} applicants ranked with the grid {grid!r} (pass mark {pass_mark})",
            len(applicants),
        ).format(count=number(len(applicants)), grid=grid.name, pass_mark=_pass_mark(grid.pass_mark)),
        ", ".join(f"{_(DECISION_LABELS[name])} {number(int(counts[code]))}" for code, name in enumerate(DECISION_NAMES)),
        "",
        table_row(labels[0], labels[1:], widths),
    ]
    names = applicants.regions.categories.tolist()
    for region in sorted(set(names) | set(quotas)):
        here = applicants.regions.codes == (names.index(region) if region in names else -1)
        decided = ranking.decision[here]
        included = decided == INCLUDED
        quota = quotas.get(region)
        cells = [
            _quota_text(quota) if quota else _("no quota"), number(int(included.sum())),
            number(int(applicants.sizes[here][included].sum())), number(int((decided == WAITLISTED).sum())),
            number(int((decided == INELIGIBLE).sum())),
        ]
        lines.append(table_row(region, cells, widths))
    return lines


def run(
    grid_path: Path, applicants_path: Path, quota_path: Path, out: Path,
    stdout: TextIO | None = None, stderr: TextIO | None = None, language: str | None = None,
) -> int:
    """The command; its messages in `language` (None: the one the environment asks for)."""
    with override(language):
        return _run(grid_path, applicants_path, quota_path, out, stdout or sys.stdout, stderr or sys.stderr)


def _run(grid_path: Path, applicants_path: Path, quota_path: Path, out: Path, stdout: TextIO, stderr: TextIO) -> int:
    try:
        grid = read_grid(grid_path)
        quotas = read_quota(quota_path)
        applicants = read_applicants(applicants_path, grid)
    except RankFileError as exc:
        print(f"{PROG}: {error_message(exc)}", file=stderr)
        return 2
    scores, ranking = rank_applicants(grid, applicants, quotas)
    try:
        write_result(out, grid, applicants, scores, ranking)
    except OSError as exc:
        print(f"{PROG}: " + _("{path}: cannot be written: {reason}").format(path=out, reason=exc.strerror or exc),
              file=stderr)
        return 1
    for line in summary(grid, applicants, quotas, ranking):
        print(line, file=stdout)
    print("\n" + _("written: {path}").format(path=out), file=stdout)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0] if __doc__ else None)
    add_arguments(parser)
    args = parser.parse_args(argv)
    return run(args.grid, args.applicants, args.quota, args.out, language=args.language)


if __name__ == "__main__":
    sys.exit(main())
