"""Charts drawn on the server as inline SVG: horizontal bar charts (one or several stacked series) and a tile
map of Kazakhstan's regions. No chart library and no script: the page prints, reads without JavaScript, and
each chart's template renders the same figures as a table for screen readers and for copying.

This module computes the geometry (plain dicts and lists a template walks); the templates draw it:

    from koshiqon.web.charts import ChartRow, Series, bar_chart, stacked_bar_chart, region_tile_map

    chart = stacked_bar_chart(
        title=_("Beds by centre"),
        series=[Series("occupied", _("occupied"), "c4"), Series("free", _("free"), "rest")],
        rows=[ChartRow(c.name, {"occupied": 12, "free": 8}, url=...) for c in centres],
    )
    {% include "web/_bar_chart.html" with chart=chart %}

    tile_map = region_tile_map(title=_("Employed at 12 months"), values={"KZ-55": 56.2, ...},
                               names={r.code: r.name for r in regions}, unit="%", scale=(0, 100))
    {% include "web/_region_map.html" with map=tile_map %}

Numbers stay numbers here; the templates format them for the reader's language (`kznumber`).

Tones (CSS classes `tone-<name>` in koshiqon.css): "c1" to "c5", a light-to-dark sequential scale of the
brand colour; "rest" a neutral grey (free beds, unknown answers); "ok", "warn", "danger" for states.

The region map is schematic: each of the 20 current regions and cities of national significance is one
equal tile, placed on a grid roughly where it lies (north at the top), not its true shape. No installed
package ships the regions' boundaries and no third-party geometry may be copied in (ADR 10); equal tiles
also keep small regions, and the cities, as visible as the vast ones, which suits figures per region.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from math import ceil, floor, log10
from typing import Any

BAR_WIDTH = 440  # the bars' share of the chart's viewBox; the value is written after the bar
TEXT_ROOM = 90
ROW_HEIGHT = 34  # a row: its label, then its bar
BAR_HEIGHT = 14


@dataclass(frozen=True)
class Series:
    """One quantity of a chart: its key in the rows' values, its label (legend, table head), its tone."""

    key: str
    label: Any
    tone: str = "c4"


@dataclass(frozen=True)
class ChartRow:
    """One bar: its label, its value per series key (None: not known), and optionally a link."""

    label: Any
    values: Mapping[str, float | int | None]
    url: str = ""


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is at least `value` (an axis' end)."""
    if value <= 0:
        return 1
    power = 10 ** floor(log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power + 1e-9:
            return step * power
    return 10 * power


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 1)


def svg(value: float) -> str:
    """A coordinate as SVG wants it, whatever the page's language: a dot for decimals, no grouping (a
    template would localise a float to "12,5", which SVG reads as two numbers)."""
    return f"{round(value, 1):g}"


def stacked_bar_chart(
    *, title: Any, series: Sequence[Series], rows: Sequence[ChartRow], unit: str = "", normalise: bool = False,
    label_series: str | None = None, max_value: float | None = None, caption: Any = "", total_label: Any = "",
    row_label: Any = "",
) -> dict[str, Any]:
    """A horizontal bar per row, its segments one per series, stacked left to right.

    - `normalise`: each bar is 100% wide and its segments are shares of the row's total (a row with no total
      draws no bar); the number after the bar is the share of `label_series` (default the first series), in %.
    - otherwise bars share one scale up to `max_value` (default: a round number above the largest total), and
      the number after the bar is the row's total, or the value of `label_series` when given.
    - `unit` is written after the numbers ("%", " ₸"); `total_label` names the table's total column
      (no total column when empty); `row_label` heads the column of the rows' labels (default the title).
    """
    label_key = label_series or (series[0].key if series else "")
    totals = [sum(v for v in (r.values.get(s.key) for s in series) if v) for r in rows]
    top = 100.0 if normalise else (max_value or nice_ceiling(max(totals or [0])))
    out_rows = []
    for i, (row, total) in enumerate(zip(rows, totals, strict=True)):
        y = i * ROW_HEIGHT
        x, segments = 0.0, []
        for s in series:
            value = row.values.get(s.key) or 0
            share = (100 * value / total if total else 0) if normalise else value
            width = round(BAR_WIDTH * min(share, top) / top, 1) if top else 0
            width = min(width, round(BAR_WIDTH - x, 1))
            if width > 0:
                segments.append({"key": s.key, "tone": s.tone, "x": svg(x), "w": svg(width), "value": value,
                                 "label": s.label})
            x += width
        labelled = row.values.get(label_key) if (normalise or label_series) else total
        if normalise:
            labelled = _number(100 * (labelled or 0) / total) if total else None
        out_rows.append({
            "label": row.label, "url": row.url, "total": _number(total),
            "cells": [row.values.get(s.key) for s in series],
            "y_label": svg(y + 12), "y_bar": svg(y + 16), "y_text": svg(y + 27), "segments": segments,
            "text": labelled, "text_x": svg(x + 4),
        })
    ticks = [{"x": svg(BAR_WIDTH * k / 4), "value": _number(top * k / 4)} for k in range(5)]
    return {
        "title": title, "caption": caption, "series": list(series), "rows": out_rows, "unit": unit,
        "normalise": normalise, "legend": len(series) > 1, "total_label": total_label,
        "width": svg(BAR_WIDTH + TEXT_ROOM), "bar_width": svg(BAR_WIDTH), "bar_height": svg(BAR_HEIGHT),
        "height": svg(max(1, len(out_rows)) * ROW_HEIGHT + 4), "ticks": ticks, "row_label": row_label or title,
    }


def bar_chart(
    *, title: Any, rows: Sequence[tuple[Any, float | int | None] | tuple[Any, float | int | None, str]],
    label: Any = "", unit: str = "", tone: str = "c4", max_value: float | None = None, caption: Any = "",
    row_label: Any = "",
) -> dict[str, Any]:
    """One series: `rows` are (label, value) or (label, value, url); `label` heads the value column."""
    series = [Series("value", label or title, tone)]
    chart_rows = [ChartRow(r[0], {"value": r[1]}, r[2] if len(r) > 2 else "") for r in rows]  # type: ignore[misc]
    return stacked_bar_chart(title=title, series=series, rows=chart_rows, unit=unit, max_value=max_value,
                             caption=caption, row_label=row_label)


# --- The region tile map ------------------------------------------------------------------------------------

# (column, row) of each region's tile, west to east and north to south, roughly where the region lies.
REGION_TILES: Mapping[str, tuple[int, int]] = {
    "KZ-59": (3, 0),  # North Kazakhstan
    "KZ-27": (0, 1),  # West Kazakhstan
    "KZ-39": (2, 1),  # Kostanay
    "KZ-11": (3, 1),  # Akmola
    "KZ-71": (4, 1),  # Astana
    "KZ-55": (5, 1),  # Pavlodar
    "KZ-23": (0, 2),  # Atyrau
    "KZ-15": (1, 2),  # Aktobe
    "KZ-62": (3, 2),  # Ulytau
    "KZ-35": (4, 2),  # Karaganda
    "KZ-10": (5, 2),  # Abai
    "KZ-63": (6, 2),  # East Kazakhstan
    "KZ-47": (0, 3),  # Mangystau
    "KZ-43": (2, 3),  # Kyzylorda
    "KZ-31": (4, 3),  # Zhambyl
    "KZ-19": (5, 3),  # Almaty region
    "KZ-33": (6, 3),  # Zhetisu
    "KZ-61": (3, 4),  # Turkistan
    "KZ-79": (4, 4),  # Shymkent
    "KZ-75": (5, 4),  # Almaty
}
CITIES = frozenset({"KZ-71", "KZ-75", "KZ-79"})
TILE_W, TILE_H, GAP = 118, 76, 6
LINE_CHARS = 16
BINS = 5


def wrap_name(name: str, width: int = LINE_CHARS, lines: int = 3) -> list[str]:
    """A region's name in at most `lines` lines of about `width` characters, broken at spaces and after
    hyphens ("Западно-Казахстанская" → "Западно-", "Казахстанская")."""
    words: list[str] = []
    for word in str(name).split():
        parts = word.split("-")
        words += [p + "-" for p in parts[:-1]] + [parts[-1]]
    out: list[str] = []
    for word in words:
        if out and len(out[-1]) + len(word) + (0 if out[-1].endswith("-") else 1) <= width:
            out[-1] += word if out[-1].endswith("-") else " " + word
        else:
            out.append(word)
    if len(out) > lines:
        out = out[: lines - 1] + [" ".join(out[lines - 1:])[: width - 1] + "…"]
    return out


def _bins(values: list[float], scale: tuple[float, float] | None) -> list[tuple[float, float]]:
    low, high = scale if scale else (floor(min(values)) if values else 0, ceil(max(values)) if values else 1)
    if high <= low:
        high = low + 1
    step = (high - low) / BINS
    return [(_number(low + k * step), _number(low + (k + 1) * step)) for k in range(BINS)]


def region_tile_map(
    *, title: Any, values: Mapping[str, float | int | None], names: Mapping[str, Any], unit: str = "",
    scale: tuple[float, float] | None = None, urls: Mapping[str, str] | None = None,
    columns: Sequence[tuple[str, Any]] = (), extra: Mapping[str, Mapping[str, Any]] | None = None,
    value_label: Any = "", caption: Any = "",
) -> dict[str, Any]:
    """Tiles of the 20 regions coloured by `values` (region code -> number, None or absent: no data) in five
    equal classes over `scale` (default: the values' range), with a legend; `names` label the tiles, `urls`
    make them links. The table under the map shows each region's value and, for each of `columns`
    ((key, heading)), `extra[code][key]`."""
    urls, extra = urls or {}, extra or {}
    known = [float(v) for code, v in values.items() if v is not None and code in REGION_TILES]
    bins = _bins(known, scale)
    tiles = []
    for code, (col, row) in sorted(REGION_TILES.items(), key=lambda item: (item[1][1], item[1][0])):
        value = values.get(code)
        tone = "none"
        if value is not None:
            index = next((k for k, (_low, high) in enumerate(bins) if value <= high), BINS - 1)
            tone = f"c{index + 1}"
        x, y = col * (TILE_W + GAP), row * (TILE_H + GAP)
        name = names.get(code, code)
        lines = wrap_name(str(name))
        tiles.append({
            "code": code, "name": name, "value": value, "tone": tone, "url": urls.get(code, ""),
            "city": code in CITIES, "x": svg(x), "y": svg(y), "w": svg(TILE_W), "h": svg(TILE_H),
            "lines": [{"text": t, "y": svg(y + 15 + 11 * k)} for k, t in enumerate(lines)],
            "value_x": svg(x + 8), "value_y": svg(y + TILE_H - 10), "text_x": svg(x + 8),
            "cells": [extra.get(code, {}).get(key) for key, _heading in columns],
        })
    legend = [{"tone": f"c{k + 1}", "low": low, "high": high} for k, (low, high) in enumerate(bins)]
    cols = 1 + max(c for c, _r in REGION_TILES.values())
    rows = 1 + max(r for _c, r in REGION_TILES.values())
    return {
        "title": title, "caption": caption, "unit": unit, "tiles": tiles, "legend": legend,
        "value_label": value_label or title, "columns": [heading for _key, heading in columns],
        "width": svg(cols * (TILE_W + GAP) - GAP), "height": svg(rows * (TILE_H + GAP) - GAP),
        "table": sorted(tiles, key=lambda t: str(t["name"])),
    }
