"""Scoring applications against the criteria grid (issue 3; the grid's rules are in `grid.py`).

`score_rows` scores many applications at once, column by column with NumPy: a selection run scores a whole
year's applications (and the file command a ministry's spreadsheet of a million rows), so a criterion is
evaluated once per column, not once per row. `score_one` is the plain row-by-row reference: it scores one
application, gives the breakdown stored with a decision, and is what the vectorised code is tested against
(the two must agree exactly, to the last bit: both add the criteria's points in grid order).

`explain` words a breakdown in Kazakh, Russian or English. The three wordings are data of the decision, stored
with it in all three languages at once (an applicant may later read it in any of them), so they are a small
table of templates here rather than gettext messages, which depend on the language of the request.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from koshiqon.kandas.domain.grid import LANGUAGES, Criterion, Grid, as_number, as_text

Floats = NDArray[np.float64]


@dataclass(frozen=True)
class Categorical:
    """A column held as codes into its distinct values (dictionary encoding): `categories[codes]`.

    A feature has few distinct values (ISCED levels, yes/no, ages), so a criterion scores each distinct value
    once, with the row-by-row rule itself, and the column takes its points by indexing: the file reader
    encodes every feature column this way.
    """

    codes: NDArray[np.intp]
    categories: NDArray[Any]

    def __len__(self) -> int:
        return len(self.codes)

    def decode(self) -> NDArray[Any]:
        return self.categories[self.codes]

    @classmethod
    def encode(cls, values: Sequence[str]) -> "Categorical":
        """Encode text, the categories in order of first appearance."""
        index = {value: i for i, value in enumerate(dict.fromkeys(values))}
        codes = np.fromiter(map(index.__getitem__, values), dtype=np.intp, count=len(values))
        return cls(codes, np.array(list(index), dtype=np.str_))

    def recode(self, categories: NDArray[Any]) -> "Categorical":
        """The same column with its categories rewritten (trimmed, parsed); equal new ones are merged."""
        distinct, remap = np.unique(categories, return_inverse=True)
        return Categorical(remap.reshape(-1)[self.codes], distinct)


Column = Sequence[Any] | NDArray[Any] | Categorical


class MissingFeatureError(KeyError):
    """The applications lack a feature (column) that a criterion of the grid reads."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


@dataclass(frozen=True)
class Scores:
    """Scores of many applications: the total and each criterion's points (capped), by the criterion's field."""

    total: Floats
    points: dict[str, Floats]
    pass_mark: float

    @property
    def eligible(self) -> NDArray[np.bool_]:
        """At or above the pass mark; below it an application is ineligible."""
        return self.total >= self.pass_mark


@dataclass(frozen=True)
class RowScore:
    """One application's score and its breakdown (points per criterion, by field, in grid order)."""

    total: float
    points: dict[str, float]
    eligible: bool


def _text_array(values: Sequence[Any] | NDArray[Any]) -> NDArray[np.str_]:
    if isinstance(values, np.ndarray) and values.dtype.kind == "U":
        return values
    return np.array([as_text(v) for v in values], dtype=np.str_)


def _number_array(values: Sequence[Any] | NDArray[Any]) -> Floats:
    if isinstance(values, np.ndarray) and values.dtype.kind in "iuf":
        return values.astype(np.float64, copy=False)
    return np.array([np.nan if (n := as_number(v)) is None else n for v in values], dtype=np.float64)


def _map_points(criterion: Criterion, column: Sequence[Any] | NDArray[Any]) -> Floats:
    assert isinstance(criterion.points, dict)
    if isinstance(column, np.ndarray) and column.dtype.kind in "iufb":
        # Numbers compare by their text ("6" for 6.0): score each distinct value once, as score_one would.
        distinct, inverse = np.unique(column, return_inverse=True)
        points = np.array([criterion.raw_points(v) for v in distinct.tolist()], dtype=np.float64)
        return points[inverse.reshape(-1)]
    text = _text_array(column)
    keys = np.array(sorted(criterion.points), dtype=np.str_)
    key_points = np.array([criterion.points[k] for k in keys.tolist()], dtype=np.float64)
    at = np.minimum(np.searchsorted(keys, text), len(keys) - 1)
    return np.where(keys[at] == text, key_points[at], 0.0)


def _bands_points(criterion: Criterion, column: Sequence[Any] | NDArray[Any]) -> Floats:
    assert criterion.bands is not None
    numbers = _number_array(column)
    inside = []
    for band in criterion.bands:
        mask = np.ones(numbers.shape, dtype=np.bool_) if band.min is None else numbers >= band.min
        if band.max is not None:
            mask &= numbers < band.max
        if band.min is None:
            mask &= ~np.isnan(numbers)  # an open band still needs a value
        inside.append(mask)
    # np.select takes the first band that holds, like the row-by-row scan.
    return np.select(inside, [np.float64(b.points) for b in criterion.bands], default=0.0).astype(np.float64)


def _member_points(criterion: Criterion, column: Sequence[Any] | NDArray[Any]) -> Floats:
    assert isinstance(criterion.points, float) and criterion.values is not None
    if isinstance(column, np.ndarray) and column.dtype.kind in "iufb":
        distinct, inverse = np.unique(column, return_inverse=True)
        points = np.array([criterion.raw_points(v) for v in distinct.tolist()], dtype=np.float64)
        return points[inverse.reshape(-1)]
    hit = np.isin(_text_array(column), np.array(criterion.values, dtype=np.str_))
    return np.where(hit, criterion.points, 0.0)


_KINDS = {"map": _map_points, "bands": _bands_points, "member": _member_points}


def criterion_points(criterion: Criterion, column: Column) -> Floats:
    """A criterion's capped points for every value of its column."""
    if isinstance(column, Categorical):
        table = np.array([criterion.points_for(v) for v in column.categories.tolist()], dtype=np.float64)
        return table[column.codes] if table.size else np.zeros(len(column), dtype=np.float64)
    points = _KINDS[criterion.kind](criterion, column)
    return points if criterion.max is None else np.minimum(points, criterion.max)


def score_rows(grid: Grid, columns: Mapping[str, Column]) -> Scores:
    """Score every application: `columns` maps each field the grid reads to its values, one per application.

    A column is fastest as a Categorical; otherwise text columns (map and member criteria) are best given as
    NumPy string arrays and numeric ones (bands) as number arrays; other sequences are converted value by
    value exactly as `score_one` reads them.
    """
    missing = [f for f in grid.fields if f not in columns]
    if missing:
        raise MissingFeatureError(missing[0])
    lengths = {len(columns[f]) for f in grid.fields}
    if len(lengths) > 1:
        raise ValueError(f"the feature columns differ in length: {sorted(lengths)}")
    total = np.zeros(lengths.pop(), dtype=np.float64)
    points: dict[str, Floats] = {}
    for criterion in grid.criteria:
        points[criterion.field] = criterion_points(criterion, columns[criterion.field])
        total += points[criterion.field]
    return Scores(total=total, points=points, pass_mark=grid.pass_mark)


def score_one(grid: Grid, row: Mapping[str, Any]) -> RowScore:
    """Score one application, criterion by criterion (the reference for `score_rows`)."""
    total = 0.0
    points: dict[str, float] = {}
    for criterion in grid.criteria:
        if criterion.field not in row:
            raise MissingFeatureError(criterion.field)
        points[criterion.field] = criterion.points_for(row[criterion.field])
        total += points[criterion.field]
    return RowScore(total=total, points=points, eligible=total >= grid.pass_mark)


def format_points(value: float) -> str:
    """Points as a person writes them: 20, not 20.0; 7.5 stays 7.5."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _points_word(lang: str, value: float) -> str:
    number = format_points(value)
    if lang == "kk":
        return f"{number} ұпай"  # Kazakh does not inflect a noun after a numeral
    if lang == "ru":
        if not float(value).is_integer():
            return f"{number} балла"  # fractions take the genitive singular: 7,5 балла
        n = abs(int(value))
        if n % 10 == 1 and n % 100 != 11:
            return f"{number} балл"
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return f"{number} балла"
        return f"{number} баллов"
    return f"{number} point" if abs(value) == 1 else f"{number} points"


_TEMPLATES: dict[str, dict[str, str]] = {
    "kk": {
        "line": "{name}: {value} → {points}", "cap": "{line} (шегі {cap})", "none": "көрсетілмеген",
        "total": "Барлығы: {points}; өту шегі {pass_mark}", "named": "{name} ({value})",
    },
    "ru": {
        "line": "{name}: {value} → {points}", "cap": "{line} (не более {cap})", "none": "не указано",
        "total": "Итого: {points}; проходной балл {pass_mark}", "named": "{name} ({value})",
    },
    "en": {
        "line": "{name}: {value} → {points}", "cap": "{line} (capped at {cap})", "none": "not given",
        "total": "Total: {points}; pass mark {pass_mark}", "named": "{name} ({value})",
    },
}


def explain(
    grid: Grid, row: Mapping[str, Any], lang: str,
    value_names: Mapping[str, Mapping[str, str]] | None = None,
) -> list[str]:
    """One line per criterion in `lang` ("Білімі: жоғары (6) → 20 ұпай").

    The criterion is named by its label, or its field when the grid has none; the value is shown as given,
    preceded by its name when `value_names[field][value]` provides one in this language (the caller knows the
    reference data: "жоғары" for ISCED 6). A cap that lowered the points is said.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"no explanation templates for language {lang!r}")
    words = _TEMPLATES[lang]
    lines = []
    for criterion in grid.criteria:
        if criterion.field not in row:
            raise MissingFeatureError(criterion.field)
        raw = row[criterion.field]
        value = as_text(raw)
        if not value:
            value = words["none"]
        elif (name := (value_names or {}).get(criterion.field, {}).get(value)) is not None:
            value = words["named"].format(name=name, value=value)
        raw_points = criterion.raw_points(raw)
        points = criterion.points_for(raw)
        line = words["line"].format(name=criterion.name(lang), value=value, points=_points_word(lang, points))
        if points < raw_points:
            line = words["cap"].format(line=line, cap=format_points(points))
        lines.append(line)
    return lines


def explain_total(grid: Grid, total: float, lang: str) -> str:
    """The closing line of an explanation: the total and the pass mark."""
    return _TEMPLATES[lang]["total"].format(points=_points_word(lang, total), pass_mark=format_points(grid.pass_mark))


def explanations(
    grid: Grid, row: Mapping[str, Any], value_names: Mapping[str, Mapping[str, Mapping[str, str]]] | None = None,
) -> dict[str, list[str]]:
    """The explanation in all three languages, as stored with a decision: per-criterion lines, then the total.

    `value_names` is by language, then field, then value (see `explain`).
    """
    total = score_one(grid, row).total
    return {
        lang: [*explain(grid, row, lang, (value_names or {}).get(lang)), explain_total(grid, total, lang)]
        for lang in LANGUAGES
    }
