"""The files of `koshiqon kandas rank`: GRID.json, APPLICANTS.csv, QUOTA.csv in, RESULT.csv out.

The formats are documented in docs/kandas-rank-formats.md. A ministry prepares these files in a spreadsheet,
so a bad file must be refused with an error that names the file, the line and the field (RankFileError), and
nothing is written then: RESULT.csv is written to a temporary file beside it and renamed only once complete.

CSV files are UTF-8 (a byte-order mark, as Excel writes, is allowed), comma- or semicolon-separated (the
separator of the header line is used); cells are trimmed; extra columns are ignored. Columns are read whole
into NumPy arrays (a ministry file may hold a million applicants), and only when a column does not convert at
once is it read again value by value, to find the first bad line.
"""

import csv
import gc
import io
import json
import os
import re
import tempfile
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from itertools import islice, repeat
from json.scanner import py_make_scanner  # type: ignore[attr-defined]
from math import isfinite
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import ValidationError

from koshiqon.kandas.domain.grid import Grid
from koshiqon.kandas.domain.ranking import UNITS, Quota, Ranking
from koshiqon.kandas.domain.scoring import Categorical, Scores, format_points

# A date-time without an offset is Kazakhstan time: one time zone, UTC+05:00, since 1 March 2024.
KAZAKHSTAN_TIME = timezone(timedelta(hours=5))
REGION_CODE = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")
APPLICANT_COLUMNS = ("id", "region", "applied_at", "size")
QUOTA_COLUMNS = ("region", "quota", "unit")
RESULT_COLUMNS = ("id", "score", "rank", "decision", "region", "breakdown")


class RankFileError(Exception):
    """A file that cannot be used: which file, line (1 = the header; None: the whole file) and field, a code,
    and the message in English: `template` filled with `params` (the command translates the template)."""

    def __init__(self, file: str, line: int | None, field: str | None, code: str, template: str, **params: Any) -> None:
        message = template.format(**params) if params else template
        self.file, self.line, self.field, self.code, self.message = file, line, field, code, message
        self.template, self.params = template, params
        where = ", ".join(
            [file, *([f"line {line}"] if line is not None else []), *([f"field {field}"] if field else [])]
        )
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Applicants:
    """APPLICANTS.csv as columns: ids as written and `id_keys`, how they sort (as numbers when every id is a
    plain whole number, else as text), applied_at in Kazakhstan time, and the grid's features (text for map
    and member criteria, numbers for bands)."""

    ids: NDArray[np.str_]
    id_keys: NDArray[Any]
    regions: Categorical
    applied_at: NDArray[np.datetime64]
    sizes: NDArray[np.int64]
    features: dict[str, Categorical]

    def __len__(self) -> int:
        return len(self.ids)


# ---- GRID.json ----------------------------------------------------------------------------------------------

class _PositionDecoder(json.JSONDecoder):
    """A JSON decoder that remembers where each object and array starts, to name the line of a grid error."""

    def __init__(self) -> None:
        super().__init__()
        self.starts: dict[int, int] = {}
        parse_object: Callable[..., tuple[Any, int]] = self.parse_object  # type: ignore[has-type]
        parse_array: Callable[..., tuple[Any, int]] = self.parse_array  # type: ignore[has-type]

        def record_object(s_and_end: tuple[str, int], *args: Any) -> tuple[Any, int]:
            value, end = parse_object(s_and_end, *args)
            self.starts[id(value)] = s_and_end[1] - 1
            return value, end

        def record_array(s_and_end: tuple[str, int], *args: Any) -> tuple[Any, int]:
            value, end = parse_array(s_and_end, *args)
            self.starts[id(value)] = s_and_end[1] - 1
            return value, end

        self.parse_object, self.parse_array = record_object, record_array
        self.scan_once = py_make_scanner(self)


def _grid_error(name: str, text: str, data: Any, starts: dict[int, int], error: Any) -> RankFileError:
    node, position, path = data, starts.get(id(data), 0), ""
    for part in error["loc"]:
        if isinstance(node, dict) and part in node:
            found = text.find(json.dumps(part, ensure_ascii=False), position)
            position = found if found >= 0 else position
            path += f".{part}" if path else str(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path += f"[{part}]"
        else:
            break  # pydantic names the union member it tried ("dict[str,float]"): not a place in the file
        node = node[part]
        position = starts.get(id(node), position)
    loc = error["loc"]
    if len(loc) >= 2 and loc[0] == "criteria" and isinstance(data, dict) and isinstance(data.get("criteria"), list):
        criteria = data["criteria"]
        if isinstance(loc[1], int) and loc[1] < len(criteria) and isinstance(criteria[loc[1]], dict):
            if "field" in criteria[loc[1]] and len(loc) > 2:
                path += f" (criterion {criteria[loc[1]]['field']!r})"
    line = text.count("\n", 0, position) + 1
    return RankFileError(name, line, path or None, error["type"], error["msg"])


def read_grid(path: str | Path) -> Grid:
    """GRID.json as a Grid; RankFileError names the line and the path of the first problem."""
    name, text = _read_text(path)
    decoder = _PositionDecoder()
    try:
        data = decoder.decode(text)
    except json.JSONDecodeError as exc:
        raise RankFileError(name, exc.lineno, None, "json_invalid", "not valid JSON: {reason}", reason=exc.msg)
    try:
        return Grid.model_validate(data)
    except ValidationError as exc:
        raise _grid_error(name, text, data, decoder.starts, exc.errors()[0])


# ---- CSV ------------------------------------------------------------------------------------------------------

def _read_text(path: str | Path) -> tuple[str, str]:
    name = Path(path).name
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise RankFileError(name, None, None, "file_unreadable", "cannot be read: {reason}", reason=exc.strerror or exc)
    try:
        return name, data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise RankFileError(name, line, None, "encoding", "is not UTF-8 text (save it as CSV UTF-8)")


@dataclass
class _Table:
    name: str
    text: str
    delimiter: str
    header: list[str]
    columns: list[list[str]]
    simple: bool  # no quotes and no lone carriage returns: every record is one line

    def line_of(self, index: int) -> int:
        """The line where data row `index` (0-based, blank lines not counted) starts."""
        if self.simple:
            seen = -1
            for number, line in enumerate(self.text.split("\n")[1:], start=2):
                if line.rstrip("\r"):
                    seen += 1
                    if seen == index:
                        return number
            return self.text.count("\n") + 1
        reader = csv.reader(io.StringIO(self.text), delimiter=self.delimiter)
        next(reader)
        seen, previous_end = -1, reader.line_num
        for row in reader:
            if row:
                seen += 1
                if seen == index:
                    return previous_end + 1
            previous_end = reader.line_num
        return previous_end

    def column(self, field: str) -> NDArray[np.str_]:
        """A column as trimmed text, one value per row."""
        values = np.array(self.columns[self.header.index(field)], dtype=np.str_)
        return np.strings.strip(values) if values.size else values

    def encoded(self, field: str) -> Categorical:
        """A column of few distinct values, dictionary-encoded, its categories trimmed."""
        raw = Categorical.encode(self.columns[self.header.index(field)])
        return raw.recode(np.strings.strip(raw.categories)) if len(raw.categories) else raw

    def error(self, index: int, field: str | None, code: str, template: str, **params: Any) -> RankFileError:
        return RankFileError(self.name, self.line_of(index), field, code, template, **params)


def _simple_table(name: str, text: str, delimiter: str, required: Sequence[str]) -> _Table:
    """A file without quotes: every record is one line, and its cells are the line split at the separator.

    The whole file is split at once (one list of cells, sliced into columns), never a list per row: a
    million small lists cost seconds of allocation and garbage collection.
    """
    lines = (text.replace("\r\n", "\n") if "\r" in text else text).split("\n")
    if "" in lines:
        lines = [line for line in lines if line]
    table = _table(name, text, delimiter, lines[0].split(delimiter) if lines else [], required, simple=True)
    data, width = lines[1:], len(table.header)
    cells = delimiter.join(data).split(delimiter) if data else []
    if len(cells) != width * len(data) or set(map(str.count, data, repeat(delimiter))) - {width - 1}:
        index = next(i for i, line in enumerate(data) if line.count(delimiter) != width - 1)
        raise _width_error(table, index, data[index].count(delimiter) + 1)
    table.columns = [cells[k::width] for k in range(width)]
    return table


def _width_error(table: _Table, index: int, cells: int) -> RankFileError:
    """A row of the wrong width. A short row names its first missing column, the field a person must fill
    in; a long row has no field to name, only the count."""
    width = len(table.header)
    field = table.header[cells] if cells < width else None
    return table.error(index, field, "row_width", "has {cells} cells where the header has {width}", cells=cells,
                       width=width)


def _table(name: str, text: str, delimiter: str, header: list[str], required: Sequence[str], simple: bool) -> _Table:
    header = [cell.strip() for cell in header]
    for field in required:
        if field not in header:
            raise RankFileError(name, 1, field, "column_missing", "this column is missing from the header")
    duplicated = sorted({f for f in header if header.count(f) > 1 and f})
    if duplicated:
        raise RankFileError(name, 1, duplicated[0], "column_repeated", "this column appears twice in the header")
    return _Table(name, text, delimiter, header, [], simple)


def _read_table(path: str | Path, required: Sequence[str]) -> _Table:
    name, text = _read_text(path)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    if '"' not in text and text.count("\r") == text.count("\r\n"):
        return _simple_table(name, text, delimiter, required)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    gc.disable()  # a list per row: without this, the collector would walk them over and over
    try:
        records = [row for row in reader if row]
        table = _table(name, text, delimiter, records[0] if records else [], required, simple=False)
        rows, width = records[1:], len(table.header)
        if set(map(len, rows)) - {width}:
            index = next(i for i, row in enumerate(rows) if len(row) != width)
            raise _width_error(table, index, len(rows[index]))
        table.columns = [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in table.header]
    except csv.Error as exc:
        raise RankFileError(name, reader.line_num, None, "csv_invalid", "is not valid CSV: {reason}", reason=exc)
    finally:
        gc.enable()
    return table


def _first_of(table: _Table, field: str, column: Categorical, bad: Sequence[int], code: str, message: str) -> RankFileError:
    """The error for the first row whose value is one of the `bad` categories."""
    index = int(np.flatnonzero(np.isin(column.codes, bad))[0])
    return table.error(index, field, code, message, value=column.categories[column.codes[index]].item())


def _parsed(
    table: _Table, field: str, column: Categorical, parse: Callable[[str], Any], code: str, message: str,
) -> list[Any]:
    """Each distinct value parsed once; the first row whose value does not parse is the error."""
    parsed, bad = [], []
    for position, value in enumerate(column.categories.tolist()):
        try:
            parsed.append(parse(value))
        except (ValueError, OverflowError):
            bad.append(position)
    if bad:
        raise _first_of(table, field, column, bad, code, message)
    return parsed


def _finite(value: str) -> float:
    number = float(value)
    if not isfinite(number):
        raise ValueError(value)
    return number


def _first_repeat(values: NDArray[Any]) -> int | None:
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    repeats = order[1:][ordered[1:] == ordered[:-1]]
    return int(repeats.min()) if repeats.size else None


def _regions(table: _Table) -> Categorical:
    regions = table.encoded("region")
    bad = [i for i, code in enumerate(regions.categories.tolist()) if not REGION_CODE.fullmatch(code)]
    if bad:
        raise _first_of(table, "region", regions, bad, "region_code", "{value!r} is not an ISO 3166-2 region code (KZ-55)")
    return regions


def _parse_moment(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(KAZAKHSTAN_TIME).replace(tzinfo=None)
    return moment


def _moments(table: _Table) -> NDArray[np.datetime64]:
    values = table.column("applied_at")
    message = "{value!r} is not an ISO date-time (2026-03-01T09:30:00)"
    if values.size and int(np.strings.str_len(values).min()) >= 10:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # numpy only warns about an offset it would drop
            try:
                moments = values.astype("datetime64[us]")
            except (ValueError, UserWarning):
                moments = None
        if moments is not None and not np.isnat(moments).any():
            return moments
    parsed = []
    for index, value in enumerate(values.tolist()):
        try:
            parsed.append(_parse_moment(value).isoformat())
        except ValueError:
            raise table.error(index, "applied_at", "applied_at_invalid", message, value=value)
    return np.array(parsed, dtype="datetime64[us]")


def _feature(table: _Table, grid: Grid, field: str) -> Categorical:
    values = table.encoded(field)
    if {c.field: c.kind for c in grid.criteria}[field] != "bands":
        return values
    numbers = _parsed(table, field, values, _finite, "number_invalid", "{value!r} is not a number")
    return Categorical(values.codes, np.array(numbers, dtype=np.float64))


def read_applicants(path: str | Path, grid: Grid) -> Applicants:
    """APPLICANTS.csv: id, region, applied_at, size and a column for each field the grid reads."""
    table = _read_table(path, [*APPLICANT_COLUMNS, *(f for f in grid.fields if f not in APPLICANT_COLUMNS)])
    raw_ids = table.column("id")
    if (raw_ids == "").any():
        raise table.error(int(np.argmax(raw_ids == "")), "id", "id_missing", "an applicant needs an id")
    keys: NDArray[Any] = raw_ids
    lengths = np.strings.str_len(raw_ids)
    plain = np.strings.isdecimal(raw_ids) & (lengths <= 18) & ((lengths == 1) | ~np.strings.startswith(raw_ids, "0"))
    if bool(plain.all()) and "".join(raw_ids.tolist()).isascii():  # "007", "+7", "1e3" sort as text
        keys = raw_ids.astype(np.int64)
    if (repeat := _first_repeat(keys)) is not None:  # plain whole numbers repeat exactly when their text does
        raise table.error(repeat, "id", "id_repeated", "the id {value!r} appears twice", value=raw_ids[repeat].item())
    size = table.encoded("size")
    persons = _parsed(table, "size", size, int, "size_invalid", "{value!r} is not a whole number of persons")
    if too_small := [i for i, n in enumerate(persons) if n < 1]:
        raise _first_of(table, "size", size, too_small, "size_invalid", "a family has at least 1 person, not {value}")
    return Applicants(
        ids=raw_ids, id_keys=keys, regions=_regions(table), applied_at=_moments(table),
        sizes=np.array(persons, dtype=np.int64)[size.codes] if persons else np.zeros(0, dtype=np.int64),
        features={field: _feature(table, grid, field) for field in grid.fields},
    )


def read_quota(path: str | Path) -> dict[str, Quota]:
    """QUOTA.csv: region, quota (a whole number, 0 or more) and unit (families or persons), a region once."""
    table = _read_table(path, QUOTA_COLUMNS)
    regions = _regions(table)
    if (repeat := _first_repeat(regions.codes)) is not None:
        raise table.error(repeat, "region", "region_repeated",
                          "the region {value} appears twice", value=regions.categories[regions.codes[repeat]].item())
    quota = table.encoded("quota")
    amounts = _parsed(table, "quota", quota, int, "quota_invalid", "{value!r} is not a whole number")
    if negative := [i for i, n in enumerate(amounts) if n < 0]:
        raise _first_of(table, "quota", quota, negative, "quota_invalid", "a quota cannot be negative ({value})")
    units = table.encoded("unit")
    if unknown := [i for i, u in enumerate(units.categories.tolist()) if u not in UNITS]:
        raise _first_of(table, "unit", units, unknown, "unit_invalid", "{value!r} is neither families nor persons")
    return {
        str(regions.categories[r]): Quota(int(amounts[a]), "families" if units.categories[u] == "families" else "persons")
        for r, a, u in zip(regions.codes.tolist(), quota.codes.tolist(), units.codes.tolist(), strict=True)
    }


# ---- RESULT.csv ---------------------------------------------------------------------------------------------
def _points_text(values: NDArray[np.float64]) -> list[str]:
    """Points as text, each distinct value formatted once (a column of points has a handful of them)."""
    numbers = values.tolist()
    text = {value: format_points(value) for value in dict.fromkeys(numbers)}
    return list(map(text.__getitem__, numbers))


def _csv_cells(values: NDArray[np.str_]) -> NDArray[np.str_]:
    """Text as CSV cells: quoted (quotes doubled) only when a value needs it, as ids rarely do."""
    if not values.size or not any(c in "".join(values.tolist()) for c in ',"\r\n'):
        return values
    quoted = ['"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\r\n') else v for v in values.tolist()]
    return np.array(quoted, dtype=np.str_)


def write_result(
    path: str | Path, grid: Grid, applicants: Applicants, scores: Scores, ranking: Ranking,
) -> None:
    """RESULT.csv, best first; written beside its destination and renamed into place only when complete."""
    order = ranking.order
    # Each line comes from one template (the breakdown's JSON keys already CSV-quoted): json.dumps and the csv
    # writer, per row, would take most of the time of a million-row file.
    keys = [json.dumps(f, ensure_ascii=False).replace('"', '""') for f in grid.fields]
    line = "%s,%s,%s,%s,%s,\"{" + ", ".join(f"{key}: %s" for key in keys) + "}\"\n"
    columns = [
        _csv_cells(applicants.ids[order]).tolist(),
        _points_text(scores.total[order]),
        map(str, range(1, len(order) + 1)),  # in rank order, the ranks are 1, 2, 3...
        ranking.decision_names()[order].tolist(),
        applicants.regions.decode()[order].tolist(),
        *(_points_text(scores.points[f][order]) for f in grid.fields),
    ]
    target = Path(path)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed below, before the rename)
        "w", encoding="utf-8", newline="", dir=target.parent or ".", prefix=f".{target.name}.", delete=False,
    )
    try:
        with handle:
            handle.write(",".join(RESULT_COLUMNS) + "\n")
            lines = (line % values for values in zip(*columns, strict=True))
            while chunk := "".join(islice(lines, 65_536)):  # a few large writes rather than a million small ones
                handle.write(chunk)
        os.replace(handle.name, target)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
