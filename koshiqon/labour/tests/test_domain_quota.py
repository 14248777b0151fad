"""The national quota by component: the shipped 2009 and 2026 rows and the computation from the labour force."""

from decimal import Decimal

import pytest

from koshiqon.labour.domain.quota import QuotaRow, parse_quota_rows, quota_for_year, shipped_quota_rows

ROWS = shipped_quota_rows()


def test_the_2009_quota_splits_a_labour_force_of_eight_million_by_its_shares():
    assert quota_for_year(ROWS, 2009, 8_000_000) == {"total": 60_000, "1+2": 28_000, "3": 28_000, "4-seasonal": 4_000}


def test_the_2009_components_add_up_to_the_total_share():
    shares = {r.component: r.share for r in ROWS if r.year == 2009}
    assert shares["1+2"] + shares["3"] + shares["4-seasonal"] == shares["total"] == Decimal("0.0075")


def test_the_2026_quota_gives_the_published_permits_and_the_total_from_its_share():
    quota = quota_for_year(ROWS, 2026, 9_600_001)
    assert quota == {"total": 24_000, "1": 726, "2": 3402, "3": 5893, "4": 3131, "seasonal": 4994}


def test_a_share_is_rounded_down_to_whole_permits():
    rows = parse_quota_rows("year,component,share,permits,confidence,source\n2030,total,0.0025,,L,test\n")
    assert quota_for_year(rows, 2030, 399) == {"total": 0}
    assert quota_for_year(rows, 2030, 400) == {"total": 1}


def test_every_shipped_row_carries_a_confidence_mark_and_a_source():
    assert {r.confidence for r in ROWS} == {"H", "M"}
    assert all(r.source for r in ROWS)


def test_a_year_without_rows_has_no_quota():
    with pytest.raises(LookupError):
        quota_for_year(ROWS, 2015, 9_000_000)


def test_a_row_gives_either_a_share_or_permits():
    with pytest.raises(ValueError):
        QuotaRow(2030, "1", Decimal("0.001"), 5, "L", "test")
    with pytest.raises(ValueError):
        QuotaRow(2030, "1", None, None, "L", "test")
    with pytest.raises(ValueError):
        parse_quota_rows("year,component,share,permits,confidence,source\n2030,1,,5,X,test\n")


def test_a_component_given_twice_is_refused():
    rows = parse_quota_rows("year,component,share,permits,confidence,source\n2030,1,,5,L,a\n2030,1,,6,L,b\n")
    with pytest.raises(ValueError):
        quota_for_year(rows, 2030, 1000)
