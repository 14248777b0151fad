"""Checks of the shipped data files themselves: no database, the CSV files read as a person would read them."""

import csv
import importlib.util
import re
from datetime import date, timedelta
from pathlib import Path

import holidays
import pycountry
import pytest

from koshiqon.reference.services import DATA_DIR, ReferenceDataError, name_period_problems, reference_read

NAMES = ("name_kk", "name_ru", "name_en")
KAZAKH_ONLY = set("әғқңөұүһі")


def rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def day(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def names_on(code: str, on: date) -> list[dict[str, str]]:
    return [
        n
        for n in rows("region_names.csv")
        if n["region_code"] == code
        and (day(n["valid_from"]) is None or day(n["valid_from"]) <= on)
        and (day(n["valid_to"]) is None or on <= day(n["valid_to"]))
    ]


def test_the_loader_finds_nothing_wrong_in_the_shipped_files():
    reference_read()


@pytest.mark.parametrize(
    "name",
    [
        "regions.csv",
        "region_names.csv",
        "countries.csv",
        "occupations.csv",
        "education_levels.csv",
        "mci.csv",
        "day_transfers.csv",
    ],
)
def test_every_data_file_has_its_source_noted(name):
    assert f"## {name}" in (DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")


def test_every_trilingual_row_has_its_name_in_kazakh_russian_and_english():
    for name in ("region_names.csv", "countries.csv", "occupations.csv", "education_levels.csv"):
        for row in rows(name):
            assert all(row[column].strip() for column in NAMES), (name, row)
            assert re.search("[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]", row["name_kk"]), (name, row)
            assert re.search("[А-Яа-яЁё]", row["name_ru"]), (name, row)
            assert re.fullmatch(r"[\x20-\x7e\u00c0-\u024f’–]+", row["name_en"]), (name, row)


def test_kazakh_names_are_not_copies_of_the_russian_ones_where_kazakh_letters_are_needed():
    regions = rows("region_names.csv")
    assert all(r["name_kk"] != r["name_ru"] for r in regions)
    titles = rows("occupations.csv")
    assert sum(1 for r in titles if KAZAKH_ONLY & set(r["name_kk"].lower())) / len(titles) > 0.9


def test_there_are_twenty_regions_with_their_iso_codes_and_kato_prefixes():
    regions = rows("regions.csv")
    assert len(regions) == 20
    assert {r["code"] for r in regions} == {s.code for s in pycountry.subdivisions.get(country_code="KZ")}
    assert all(r["kato"] == r["code"][3:] for r in regions)
    cities = {r["code"] for r in regions if r["kind"] == "city"}
    assert cities == {"KZ-71", "KZ-75", "KZ-79"}


def test_seventeen_regions_and_three_cities_exist_today_and_fewer_existed_in_2007():
    regions = rows("regions.csv")

    def existing(on):
        return {r["code"] for r in regions if day(r["valid_from"]) is None or day(r["valid_from"]) <= on}

    assert len(existing(date(2026, 1, 1))) == 20
    assert existing(date(2007, 8, 28)) == existing(date(2026, 1, 1)) - {"KZ-10", "KZ-33", "KZ-62", "KZ-79"}
    assert "KZ-79" in existing(date(2018, 6, 19)) and "KZ-79" not in existing(date(2018, 6, 18))
    assert "KZ-62" in existing(date(2022, 6, 8)) and "KZ-62" not in existing(date(2022, 6, 7))


@pytest.mark.parametrize(
    ("code", "on", "name_en"),
    [
        ("KZ-61", date(2007, 1, 1), "South Kazakhstan Region"),
        ("KZ-61", date(2018, 6, 18), "South Kazakhstan Region"),
        ("KZ-61", date(2018, 6, 19), "Turkistan Region"),
        ("KZ-71", date(2019, 3, 22), "Astana city"),
        ("KZ-71", date(2019, 3, 23), "Nur-Sultan city"),
        ("KZ-71", date(2022, 9, 16), "Nur-Sultan city"),
        ("KZ-71", date(2022, 9, 17), "Astana city"),
        ("KZ-10", date(2022, 6, 8), "Abai Region"),
    ],
)
def test_a_region_has_exactly_one_name_on_each_day(code, on, name_en):
    assert [n["name_en"] for n in names_on(code, on)] == [name_en]


def test_every_region_is_named_on_every_day_it_exists_and_every_change_has_its_legal_basis():
    names = rows("region_names.csv")
    for region in rows("regions.csv"):
        periods = [
            (day(n["valid_from"]), day(n["valid_to"]), i)
            for i, n in enumerate(names)
            if n["region_code"] == region["code"]
        ]
        assert name_period_problems(day(region["valid_from"]), day(region["valid_to"]), periods) == []
    assert all(n["legal_basis"] for n in names if n["valid_from"])


def test_the_name_period_check_catches_a_gap_an_overlap_and_a_name_before_the_region_existed():
    start = date(2018, 6, 19)
    gap = [(None, date(2018, 6, 17), 2), (start, None, 3)]
    overlap = [(None, date(2018, 6, 19), 2), (start, None, 3)]
    too_early = [(None, None, 2)]
    assert [line for line, _ in name_period_problems(None, None, gap)] == [3]
    assert [line for line, _ in name_period_problems(None, None, overlap)] == [3]
    assert [line for line, _ in name_period_problems(start, None, too_early)] == [2]


def test_countries_are_all_of_iso_3166_1_with_unique_codes_and_the_eaeu_members():
    countries = rows("countries.csv")
    assert len(countries) == len(pycountry.countries) == 249
    for column in ("alpha2", "alpha3", "numeric"):
        assert len({c[column] for c in countries}) == len(countries)
    by_code = {c["alpha2"]: c for c in countries}
    assert by_code["KZ"]["name_kk"] == "Қазақстан" and by_code["KZ"]["alpha3"] == "KAZ"
    assert by_code["KZ"]["numeric"] == "398"
    members = {c["alpha2"]: c["eaeu_member_since"] for c in countries if c["eaeu_member_since"]}
    assert members == {
        "AM": "2015-01-02",
        "BY": "2015-01-01",
        "KZ": "2015-01-01",
        "KG": "2015-08-12",
        "RU": "2015-01-01",
    }


def test_the_countries_file_is_what_the_build_script_writes():
    script = DATA_DIR.parents[2] / "scripts" / "build_countries.py"
    spec = importlib.util.spec_from_file_location("build_countries", script)
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)

    generated, fallbacks = build.build_rows()
    assert build.OUTPUT == DATA_DIR / "countries.csv"
    assert build.render(generated) == (DATA_DIR / "countries.csv").read_text(encoding="utf-8")
    assert fallbacks == sum(len(c["fallback"].split()) for c in rows("countries.csv"))


def test_occupations_hold_every_isco_08_group_down_to_the_minor_groups():
    occupations = rows("occupations.csv")
    by_level = {level: [o for o in occupations if o["level"] == str(level)] for level in (1, 2, 3)}
    assert [len(by_level[level]) for level in (1, 2, 3)] == [10, 43, 130]
    codes = [o["code"] for o in occupations]
    assert len(set(codes)) == len(codes)
    assert {o["code"] for o in by_level[1]} == set("0123456789")
    for o in occupations:
        assert o["parent_code"] == o["code"][:-1]
        assert not o["parent_code"] or o["parent_code"] in codes


@pytest.mark.parametrize(
    ("code", "name_en"),
    [
        ("2", "Professionals"),
        ("25", "Information and communications technology professionals"),
        ("221", "Medical doctors"),
        ("611", "Market gardeners and crop growers"),
        ("962", "Other elementary workers"),
        ("011", "Commissioned armed forces officers"),
    ],
)
def test_occupation_titles_are_the_ilo_english_titles(code, name_en):
    assert {o["code"]: o["name_en"] for o in rows("occupations.csv")}[code] == name_en


def test_education_levels_are_isced_2011_levels_zero_to_eight():
    levels = rows("education_levels.csv")
    assert [lv["code"] for lv in levels] == [str(n) for n in range(9)]
    assert levels[6]["name_en"] == "Bachelor's or equivalent level"


def test_mci_values_rise_in_date_order_and_match_the_rule_book_at_the_change_dates():
    mci = rows("mci.csv")
    dates = [date.fromisoformat(m["valid_from"]) for m in mci]
    assert dates == sorted(set(dates))
    values = [int(m["tenge"]) for m in mci]
    assert values == sorted(values)
    table = dict(zip(dates, values, strict=True))
    assert table[date(2007, 1, 1)] == 1092
    assert table[date(2009, 7, 1)] == 1296
    assert table[date(2020, 4, 1)] == 2778
    assert table[date(2022, 4, 1)] == 3180
    assert table[date(2026, 1, 1)] == 4325
    assert all(m["confidence"] in {"H", "M", "L"} and m["legal_basis"] for m in mci)
    assert {d for d in dates if d.month != 1} == {date(2009, 7, 1), date(2020, 4, 1), date(2022, 4, 1)}


def transfers() -> dict[date, date]:
    return {
        date.fromisoformat(t["day_off"]): date.fromisoformat(t["working_day"])
        for t in rows("day_transfers.csv")
    }


def test_every_transfer_that_the_holidays_package_knows_is_in_the_file():
    known = {}
    for on, name in holidays.KZ(years=range(2007, 2027), language="en_US").items():
        found = re.search(r"substituted from (\d\d)/(\d\d)/(\d{4})", name)
        if found:
            month, dom, year = map(int, found.groups())
            known[on] = date(year, month, dom)
    assert len(known) >= 30  # the label format changed if this finds nothing
    assert {d: w for d, w in transfers().items() if d.year >= 2007} == known


def test_each_transfer_rests_a_weekday_and_works_a_day_that_was_off():
    public = holidays.KZ(years=range(2006, 2027), language="en_US")
    for day_off, working in transfers().items():
        assert day_off.weekday() < 5
        assert abs((day_off - working).days) <= 7
        # A working day is a weekend day, or a weekday off only because a holiday fell on a weekend.
        assert working.weekday() >= 5 or any(
            (working - timedelta(days=n)) in public and (working - timedelta(days=n)).weekday() >= 5
            for n in (1, 2)
        )
    rows_ = rows("day_transfers.csv")
    assert all(t["confidence"] in {"H", "M", "L"} and t["legal_basis"] for t in rows_)
    assert ("2024-05-04", "2024-05-08") in {(t["working_day"], t["day_off"]) for t in rows_}
    assert ("2025-01-05", "2025-01-03") in {(t["working_day"], t["day_off"]) for t in rows_}


def test_the_loader_reports_every_bad_row_with_its_file_and_line(tmp_path: Path):
    for source in DATA_DIR.glob("*.csv"):
        (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    with (tmp_path / "mci.csv").open("a", encoding="utf-8") as handle:
        handle.write("2027-13-01,5000,M,Law on the republican budget for 2027-2029\n")
    names = (tmp_path / "region_names.csv").read_text(encoding="utf-8")
    (tmp_path / "region_names.csv").write_text(names.replace("KZ-61,2018-06-19,", "KZ-61,2018-06-20,"))
    occupations = (tmp_path / "occupations.csv").read_text(encoding="utf-8")
    (tmp_path / "occupations.csv").write_text(occupations + "7777,4,778,а,б,c\n", encoding="utf-8")

    with pytest.raises(ReferenceDataError) as caught:
        reference_read(data_dir=tmp_path)

    problems = caught.value.problems
    assert any(p.startswith("mci.csv line 25: not a date") for p in problems), problems
    assert any(p.startswith("region_names.csv line 17: KZ-61") for p in problems), problems
    assert any(p.startswith("occupations.csv line 185: parent_code of 7777") for p in problems), problems
    assert len(problems) == 3, problems
