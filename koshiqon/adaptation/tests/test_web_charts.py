"""The shared chart geometry (koshiqon.web.charts) and its templates: bars in proportion, stacked segments
within their bar, the region tiles each placed once, coloured by class, and the figures in a table."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from koshiqon.web.charts import (
    REGION_TILES,
    ChartRow,
    Series,
    bar_chart,
    nice_ceiling,
    region_tile_map,
    stacked_bar_chart,
    wrap_name,
)

REGIONS_2026 = {"KZ-10", "KZ-11", "KZ-15", "KZ-19", "KZ-23", "KZ-27", "KZ-31", "KZ-33", "KZ-35", "KZ-39", "KZ-43",
                "KZ-47", "KZ-55", "KZ-59", "KZ-61", "KZ-62", "KZ-63", "KZ-71", "KZ-75", "KZ-79"}


@pytest.mark.parametrize(("value", "ceiling"), [(0, 1), (7, 10), (17, 20), (23, 25), (40, 50), (101, 200), (0.3, 0.5)])
def test_an_axis_ends_on_a_round_number(value, ceiling):
    assert nice_ceiling(value) == ceiling


def test_bars_are_in_proportion_to_a_shared_scale():
    chart = bar_chart(title="Beds", rows=[("A", 40), ("B", 10, "/b/"), ("C", None)])
    widths = [float(r["segments"][0]["w"]) if r["segments"] else 0.0 for r in chart["rows"]]
    assert widths == [352.0, 88.0, 0.0]  # on an axis to 50, the round number above 40
    assert chart["rows"][1]["url"] == "/b/" and chart["rows"][2]["text"] == 0
    assert [t["value"] for t in chart["ticks"]] == [0, 12.5, 25, 37.5, 50]


def test_stacked_segments_follow_one_another_inside_their_bar():
    series = [Series("yes", "employed", "c4"), Series("no", "not employed", "c2"), Series("unknown", "?", "rest")]
    chart = stacked_bar_chart(title="Employment", series=series, normalise=True, unit="%", rows=[
        ChartRow("A", {"yes": 3, "no": 1, "unknown": 0}), ChartRow("B", {"yes": None, "no": None, "unknown": None})])
    a, b = chart["rows"]
    assert [(s["x"], s["w"]) for s in a["segments"]] == [("0", "330"), ("330", "110")]
    assert a["text"] == 75 and b["segments"] == [] and b["text"] is None
    assert chart["legend"] is True and a["cells"] == [3, 1, 0]


def test_coordinates_stay_svg_numbers_in_every_language():
    chart = bar_chart(title="x", rows=[("A", 1), ("B", 3)], max_value=3)
    with translation.override("kk"):
        html = render_to_string("web/_bar_chart.html", {"chart": chart})
    assert 'width="146.7"' in html  # never "146,7": SVG would read two numbers
    assert "<table" in html and "<th scope=\"row\">B</th>" in html


def test_the_tile_map_places_each_current_region_once_on_its_own_tile():
    assert set(REGION_TILES) == REGIONS_2026
    assert len(set(REGION_TILES.values())) == 20
    north, south = REGION_TILES["KZ-59"], REGION_TILES["KZ-79"]
    west, east = REGION_TILES["KZ-27"], REGION_TILES["KZ-63"]
    assert north[1] < south[1] and west[0] < east[0]


def test_tiles_are_coloured_by_class_with_no_data_apart():
    tile_map = region_tile_map(title="Employed", values={"KZ-55": 10, "KZ-59": 95, "KZ-11": None, "XX-00": 50},
                               names={"KZ-55": "Павлодар облысы"}, unit="%", scale=(0, 100),
                               columns=[("beds", "Beds")], extra={"KZ-55": {"beds": 40}})
    tiles = {t["code"]: t for t in tile_map["tiles"]}
    assert len(tiles) == 20
    assert (tiles["KZ-55"]["tone"], tiles["KZ-59"]["tone"], tiles["KZ-11"]["tone"]) == ("c1", "c5", "none")
    assert tiles["KZ-55"]["cells"] == [40] and tiles["KZ-71"]["city"] is True
    assert [(b["low"], b["high"]) for b in tile_map["legend"]] == [(0, 20), (20, 40), (40, 60), (60, 80), (80, 100)]


def test_each_tile_is_reachable_with_the_keyboard_and_says_its_figure():
    tile_map = region_tile_map(title="Employed", values={"KZ-55": 44.4}, names={"KZ-55": "Павлодар облысы"},
                               unit="%", urls={"KZ-59": "/r/59/"})
    with translation.override("kk"):
        html = render_to_string("web/_region_map.html", {"map": tile_map})
    assert html.count('tabindex="0"') == 19 and html.count('<a href="/r/59/"') == 2  # the tile and the table row
    assert 'aria-label="Павлодар облысы: 44,4%"' in html and "<title>Павлодар облысы: 44,4%</title>" in html


@pytest.mark.parametrize(("name", "lines"), [
    ("Павлодар облысы", ["Павлодар облысы"]),
    ("Солтүстік Қазақстан облысы", ["Солтүстік", "Қазақстан облысы"]),
    ("Западно-Казахстанская область", ["Западно-", "Казахстанская", "область"]),
])
def test_long_region_names_wrap_inside_their_tile(name, lines):
    assert wrap_name(name) == lines
