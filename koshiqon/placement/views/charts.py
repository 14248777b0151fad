"""The geometry of the model card's charts, drawn as inline SVG by the templates (no chart library, no
script): the calibration plot (observed against predicted rate per bin, with the diagonal of a perfectly
calibrated model) and grouped bar charts (per region: predicted and observed rate; per backtest arm:
predicted and true employment, and uplifts, which may be below zero). Each template prints the same
figures as a table for screen readers. Horizontal bars of one series use koshiqon.web.charts."""

from collections.abc import Mapping, Sequence
from typing import Any

from koshiqon.web.charts import nice_ceiling, svg

PLOT = 260  # the calibration plot's square, in viewBox units
MARGIN = 52
GROUP_HEIGHT = 18  # a bar of a grouped chart
LABEL_WIDTH = 215
BAR_ROOM = 300
TONES = ("c4", "c2", "c5", "c3")  # koshiqon.css: tone-c1 to tone-c5


def calibration_plot(bins: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Points at (mean predicted, observed) of each bin, their area growing with the members in the bin, joined
    by a line; the diagonal; ticks at 0, 25, 50, 75 and 100%."""
    biggest = max([b["count"] for b in bins] or [1])

    def x(v: float) -> str:
        return svg(MARGIN + PLOT * v)

    def y(v: float) -> str:
        return svg(MARGIN + PLOT * (1 - v))

    points = [{
        "x": x(b["mean_predicted"]), "y": y(b["observed_rate"]),
        "r": svg(3 + 6 * (b["count"] / biggest) ** 0.5),
        "predicted": round(100 * b["mean_predicted"], 1), "observed": round(100 * b["observed_rate"], 1),
        "count": b["count"], "lower": round(100 * b["lower"]), "upper": round(100 * b["upper"]),
    } for b in bins]
    ticks = [{"value": k * 25, "x": x(k / 4), "y": y(k / 4)} for k in range(5)]
    return {
        "points": points, "line": " ".join(f"{p['x']},{p['y']}" for p in points), "ticks": ticks,
        "size": svg(PLOT + 2 * MARGIN), "x0": x(0), "x1": x(1), "y0": y(0), "y1": y(1),
        "axis_y": svg(MARGIN + PLOT + 30), "tick_y": svg(MARGIN + PLOT + 14), "tick_x": svg(MARGIN - 6),
        "axis_x": svg(10),
        "middle": svg(MARGIN + PLOT / 2),
    }


def grouped_bars(*, groups: Sequence[tuple[Any, Sequence[float | None]]], series: Sequence[tuple[str, Any]],
                 unit: str = "", max_value: float | None = None) -> dict[str, Any]:
    """One group per (label, values), one bar per series (key, label) in each; None is not drawn. Bars start
    at zero, which moves right of the labels when a value is below zero."""
    values = [float(v) for _label, vs in groups for v in vs if v is not None]
    top = max_value or nice_ceiling(max([v for v in values if v > 0] or [0]))
    low = -nice_ceiling(-min(values)) if values and min(values) < 0 else 0.0
    span = top - low

    def x(v: float) -> float:
        return LABEL_WIDTH + BAR_ROOM * (min(max(v, low), top) - low) / span

    zero = x(0.0)
    per_group = len(series) * GROUP_HEIGHT + 12
    rows = []
    for g, (label, vs) in enumerate(groups):
        y = g * per_group
        bars = []
        for s, ((key, name), value) in enumerate(zip(series, vs, strict=True)):
            end = zero if value is None else x(float(value))
            left, right = min(zero, end), max(zero, end)
            bars.append({"key": key, "label": name, "tone": TONES[s % len(TONES)], "value": value,
                         "x": svg(left), "w": svg(right - left), "y": svg(y + s * GROUP_HEIGHT),
                         "text_x": svg(right + 4), "text_y": svg(y + s * GROUP_HEIGHT + 12)})
        rows.append({"label": label, "y_label": svg(y + 13), "bars": bars, "values": list(vs)})
    return {
        "rows": rows, "unit": unit, "zero": svg(zero), "bar_height": svg(GROUP_HEIGHT - 4),
        "series": [{"key": k, "label": lbl, "tone": TONES[i % len(TONES)]} for i, (k, lbl) in enumerate(series)],
        "width": svg(LABEL_WIDTH + BAR_ROOM + 70), "height": svg(max(1, len(rows)) * per_group),
    }
