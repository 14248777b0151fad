"""The files of `koshiqon placement solve`: FAMILIES.csv, REGIONS.csv and SCORES.csv in, OUT.csv out.

The formats are documented in docs/placement-solve-format.md. A ministry prepares them in a spreadsheet, so a
bad file is refused with an error naming the file, the line and the field (`SolveFileError`), and nothing is
written then. SCORES.csv has a row per family and allowed region (2,000,000 rows for 100,000 families and 20
regions), so a file is split whole and its columns converted with NumPy and dictionaries; only when a column
does not convert is it read again value by value, to name the first bad line.

No Django: the command runs without settings or a database.
"""

import csv
import io
import math
import os
import re
import tempfile
from dataclasses import dataclass
from itertools import islice, repeat
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

REGION_CODE = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")
UNITS = ("families", "persons")
FAMILY_COLUMNS = ("id", "size")
REGION_COLUMNS = ("region", "capacity", "unit")
SCORE_COLUMNS = ("family_id", "region", "score")
OUT_COLUMNS = ("family_id", "region", "score")


class SolveFileError(Exception):
    """A file that cannot be used: which file, line (1 = the header; None: the whole file) and field, and the
    message in English: `template` filled with `params` (the command translates the template)."""

    def __init__(self, file: str, line: int | None, field: str | None, template: str, **params: object) -> None:
        message = template.format(**params) if params else template
        self.file, self.line, self.field, self.message = file, line, field, message
        self.template, self.params = template, params
        where = [file, *([f"line {line}"] if line is not None else []), *([f"field {field}"] if field else [])]
        super().__init__(f"{', '.join(where)}: {message}")


@dataclass
class Table:
    """A CSV file as columns of trimmed text. `lines[i]` is the line where data row i starts; None when
    row i is simply on line i + 2 (no blank lines, no line breaks inside quotes)."""

    name: str
    delimiter: str
    header: list[str]
    columns: dict[str, list[str]]
    lines: list[int] | None

    def line(self, row: int) -> int:
        return self.lines[row] if self.lines is not None else row + 2

    def error(self, row: int, field: str | None, template: str, **params: object) -> SolveFileError:
        return SolveFileError(self.name, self.line(row), field, template, **params)


def _read_text(path: Path) -> tuple[str, str]:
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SolveFileError(name, None, None, "cannot be read: {reason}", reason=exc.strerror or exc) from None
    try:
        return name, data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SolveFileError(name, line, None, "is not UTF-8 text (save it as CSV UTF-8)") from None


def read_table(path: Path, required: tuple[str, ...]) -> Table:
    """UTF-8 (with or without a byte-order mark), comma- or semicolon-separated (the header line decides),
    quoted cells as in RFC 4180, cells trimmed, blank lines skipped (and counted), other columns ignored."""
    name, text = _read_text(path)
    first = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first and "," not in first else ","
    if '"' in text or text.count("\r") != text.count("\r\n"):
        header, cells, lines = _quoted(name, text, delimiter)
    else:
        header, cells, lines = _plain(name, text, delimiter)
    for field in required:
        if field not in header:
            raise SolveFileError(name, 1, field, "this column is missing from the header")
    repeated = sorted({f for f in header if f and header.count(f) > 1})
    if repeated:
        raise SolveFileError(name, 1, repeated[0], "this column appears twice in the header")
    width, trim = len(header), " " in text or "\t" in text
    columns = {}
    for field in required:
        column = cells[header.index(field)::width]
        columns[field] = [cell.strip() for cell in column] if trim else column
    return Table(name, delimiter, header, columns, lines)


def _plain(name: str, text: str, delimiter: str) -> tuple[list[str], list[str], list[int] | None]:
    """A file without quotes: one record per line, and the whole file split at once (a list per row would
    cost seconds at 2,000,000 rows)."""
    raw = (text.replace("\r\n", "\n") if "\r" in text else text).split("\n")
    if raw and not raw[-1]:
        raw.pop()  # the line break that ends the last line
    lines = None
    if "" in raw or " " in text or "\t" in text:
        numbered = [(number, line) for number, line in enumerate(raw, start=1) if line.strip()]
        if len(numbered) != len(raw):
            raw = [line for _number, line in numbered]
            lines = [number for number, _line in numbered[1:]]
    if not raw:
        return [], [], lines
    header = [cell.strip() for cell in raw[0].split(delimiter)]
    data, width = raw[1:], len(header)
    cells = delimiter.join(data).split(delimiter) if data else []
    if len(cells) != width * len(data) or set(map(str.count, data, repeat(delimiter))) - {width - 1}:
        row = next(i for i, line in enumerate(data) if line.count(delimiter) != width - 1)
        raise _width_error(Table(name, delimiter, header, {}, lines), row, data[row].count(delimiter) + 1)
    return header, cells, lines


def _quoted(name: str, text: str, delimiter: str) -> tuple[list[str], list[str], list[int]]:
    """A file with quoted cells, read record by record."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    previous = 0
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append(row)
                lines.append(previous + 1)
            previous = reader.line_num
    except csv.Error as exc:
        raise SolveFileError(name, reader.line_num, None, "is not valid CSV: {reason}", reason=exc) from None
    if not rows:
        return [], [], []
    header = [cell.strip() for cell in rows[0]]
    for index, row in enumerate(rows[1:]):
        if len(row) != len(header):
            raise _width_error(Table(name, delimiter, header, {}, lines[1:]), index, len(row))
    return header, [cell for row in rows[1:] for cell in row], lines[1:]


def _width_error(table: Table, row: int, cells: int) -> SolveFileError:
    """A short row names its first missing column; a long row has no field to name, only the count."""
    width = len(table.header)
    field = table.header[cells] if cells < width else None
    return table.error(row, field, "has {cells} cells where the header has {width}", cells=cells, width=width)


# ---- values -------------------------------------------------------------------------------------------------

def _whole_numbers(table: Table, field: str, minimum: int, not_whole: str) -> NDArray[np.int64]:
    """Each distinct value parsed once; the first row of a bad one is the error."""
    values = table.columns[field]
    parsed: dict[str, int] = {}
    for value in dict.fromkeys(values):
        try:
            number = int(value)
        except ValueError:
            raise table.error(values.index(value), field, not_whole, value=value) from None
        if number < minimum:
            raise table.error(values.index(value), field, "{value!r}: {column} cannot be less than {minimum}",
                              value=value, column=field, minimum=minimum)
        parsed[value] = number
    return np.array([parsed[v] for v in values], dtype=np.int64) if values else np.zeros(0, dtype=np.int64)


def _region_codes(table: Table, field: str) -> list[str]:
    values = table.columns[field]
    for value in dict.fromkeys(values):
        if not REGION_CODE.fullmatch(value):
            raise table.error(values.index(value), field, "{value!r} is not an ISO 3166-2 region code (KZ-55)",
                              value=value)
    return values


def _numbers(table: Table, field: str) -> NDArray[np.float64]:
    """Finite numbers. With semicolons as separators a decimal comma is read too (Excel in a Russian or
    Kazakh locale writes 0,75)."""
    written = table.columns[field]
    values = [v.replace(",", ".") for v in written] if table.delimiter == ";" and any("," in v for v in written) \
        else written
    try:
        numbers = np.fromiter(map(float, values), dtype=np.float64, count=len(values))
        if np.isfinite(numbers).all():
            return numbers
    except ValueError:
        pass
    for row, value in enumerate(values):
        try:
            finite = math.isfinite(float(value))
        except ValueError:
            raise table.error(row, field, "{value!r} is not a number", value=written[row]) from None
        if not finite:
            raise table.error(row, field, "{value!r} is not a finite number", value=written[row])
    raise AssertionError("a value did not convert, yet each one does")  # pragma: no cover


# ---- the three input files ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Families:
    file: str
    ids: list[str]
    sizes: NDArray[np.int64]


@dataclass(frozen=True)
class Regions:
    """Regions in the order of the file, each with its limit in families and in persons (inf: none)."""

    codes: list[str]
    family_limit: NDArray[np.float64]
    person_limit: NDArray[np.float64]


def read_families(path: Path) -> Families:
    """FAMILIES.csv: id (unique, not empty) and size (persons, 1 or more)."""
    table = read_table(path, FAMILY_COLUMNS)
    ids = table.columns["id"]
    seen: dict[str, int] = {}
    for row, family_id in enumerate(ids):
        if not family_id:
            raise table.error(row, "id", "a family needs an id")
        if (first := seen.setdefault(family_id, row)) != row:
            raise table.error(row, "id", "the id {value!r} appears twice (first on line {first})", value=family_id,
                              first=table.line(first))
    return Families(table.name, ids, _whole_numbers(table, "size", 1, "{value!r} is not a whole number of persons"))


def read_regions(path: Path) -> Regions:
    """REGIONS.csv: region, capacity (0 or more) and unit (families or persons); a region may have a row
    per unit, both limits then apply."""
    table = read_table(path, REGION_COLUMNS)
    codes = _region_codes(table, "region")
    capacities = _whole_numbers(table, "capacity", 0, "{value!r} is not a whole number")
    limits: dict[tuple[str, str], int] = {}
    for row, (code, unit) in enumerate(zip(codes, table.columns["unit"], strict=True)):
        if unit not in UNITS:
            raise table.error(row, "unit", "{value!r} is neither families nor persons", value=unit)
        if (code, unit) in limits:
            raise table.error(row, "unit", "the region {region} already has a capacity in {unit}", region=code, unit=unit)
        limits[(code, unit)] = int(capacities[row])
    listed = list(dict.fromkeys(codes))
    return Regions(
        listed,
        np.array([limits.get((c, "families"), math.inf) for c in listed], dtype=np.float64),
        np.array([limits.get((c, "persons"), math.inf) for c in listed], dtype=np.float64),
    )


def read_scores(path: Path, families: Families, regions: Regions) -> tuple[NDArray[np.float64], list[str]]:
    """SCORES.csv as the score matrix (families x regions, NaN: not allowed), with a column for each region
    that has scores but no row in REGIONS.csv (it takes nobody), and the codes of those regions."""
    table = read_table(path, SCORE_COLUMNS)
    index = {family_id: i for i, family_id in enumerate(families.ids)}
    ids = table.columns["family_id"]
    rows = np.fromiter(map(index.get, ids, repeat(-1)), dtype=np.int64, count=len(ids))
    if (rows < 0).any():
        bad = int(np.argmax(rows < 0))
        raise table.error(bad, "family_id", "{value!r} is not an id in {families}", value=ids[bad], families=families.file)
    codes = _region_codes(table, "region")
    column = {code: j for j, code in enumerate(regions.codes)}
    extra = [code for code in dict.fromkeys(codes) if code not in column]
    column.update({code: len(regions.codes) + k for k, code in enumerate(extra)})
    columns = np.fromiter(map(column.__getitem__, codes), dtype=np.int64, count=len(codes))
    scores = _numbers(table, "score")
    pairs = rows * len(column) + columns
    order = np.argsort(pairs, kind="stable")
    ordered = pairs[order]
    repeats = order[1:][ordered[1:] == ordered[:-1]]
    if repeats.size:
        row = int(repeats.min())
        first = int(order[np.searchsorted(ordered, pairs[row])])
        raise table.error(row, "region", "a second score for the family {value!r} in {region} (the first is on "
                                         "line {first})", value=ids[row], region=codes[row], first=table.line(first))
    matrix = np.full((len(families.ids), len(column)), np.nan)
    matrix[rows, columns] = scores
    return matrix, extra


# ---- OUT.csv --------------------------------------------------------------------------------------------------

def _cell(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\r\n') else value


def write_out(path: Path, families: Families, codes: list[str], region: NDArray[np.int64],
              score: NDArray[np.float64]) -> None:
    """OUT.csv, one row per family in the order of FAMILIES.csv (region and score empty when it is not placed);
    written beside its destination and renamed into place only when complete."""
    names = [_cell(c) for c in codes]
    chosen = score[np.arange(region.size), np.maximum(region, 0)].tolist() if score.size else [math.nan] * region.size
    lines = (
        f"{_cell(family_id)},{names[r]},{value!r}\n" if r >= 0 else f"{_cell(family_id)},,\n"
        for family_id, r, value in zip(families.ids, region.tolist(), chosen, strict=True)
    )
    target = Path(path)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed below, before the rename)
        "w", encoding="utf-8", newline="", dir=target.parent or ".", prefix=f".{target.name}.", delete=False,
    )
    try:
        with handle:
            handle.write(",".join(OUT_COLUMNS) + "\n")
            while chunk := "".join(islice(lines, 65_536)):  # a few large writes rather than 100,000 small ones
                handle.write(chunk)
        os.replace(handle.name, target)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
