"""The training history: an archive file imported (all or nothing, every bad row reported), the demo history
drawn from the ground truth (fast, idempotent, one audit event), this system's own families refreshed."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from koshiqon.core.models import AuditEvent
from koshiqon.placement.models import HistorySource, PastArrival
from koshiqon.placement.services.history import (
    TRUTH_VERSION,
    placement_history_demo,
    placement_history_import,
    placement_history_refresh,
)
from koshiqon.placement.tests.scene import adaptation_history_scene

TODAY = date(2026, 11, 24)  # the archive's years are checked against this day
HEADER = ("family,year,origin,region,size,age,sex,education,occupation,experience_years,kazakh,russian,"
          "employed_3m,employed_6m,employed_12m,stayed_12m\n")
GOOD = (
    "A-1,2023,CN,KZ-55,3,41,M,6,2341,15,fluent,basic,no,yes,yes,yes\n"
    "A-1,2023,CN,KZ-55,3,38,F,4,,2,fluent,none,no,no,no,yes\n"
    "A-1,2023,CN,KZ-55,3,9,F,1,,,,,,,,\n"
    "B-7,2024,UZ,KZ-11,,29,M,3,8332,5,basic,basic,yes,yes,yes,no\n"
)


def csv_bytes(body: str, header: str = HEADER) -> bytes:
    return (header + body).encode("utf-8")


def test_an_archive_file_is_imported_family_by_family_with_one_audit_event(national):
    report = placement_history_import(data=csv_bytes(GOOD), filename="archive.csv", by=national, today=TODAY)

    assert report.saved and report.errors == []
    assert (report.rows, report.families, report.created, report.replaced) == (4, 2, 2, 0)
    family = PastArrival.objects.get(key="A-1")
    assert (family.year, family.origin, family.size, family.region.code, family.source) == (
        2023, "CN", 3, "KZ-55", HistorySource.IMPORT)
    assert [m["age"] for m in family.members] == [41, 38, 9]
    assert family.members[0]["occupation"] == "2341" and family.members[0]["kazakh"] == "fluent"
    assert family.outcomes == [
        {"member_index": 0, "employed_3m": False, "employed_6m": True, "employed_12m": True, "stayed_12m": True},
        {"member_index": 1, "employed_3m": False, "employed_6m": False, "employed_12m": False, "stayed_12m": True},
    ]
    assert PastArrival.objects.get(key="B-7").size == 1  # no size given: the rows of the family
    event = AuditEvent.objects.get(action="placement.history.import")
    assert event.after == {"file": "archive.csv", "rows": 4, "families": 2, "created": 2, "replaced": 0}


def test_a_second_import_of_the_same_families_replaces_them(national):
    placement_history_import(data=csv_bytes(GOOD), by=national, today=TODAY)
    mended = GOOD.replace("A-1,2023,CN,KZ-55,3,41,M,6", "A-1,2023,CN,KZ-55,3,42,M,7")
    report = placement_history_import(data=csv_bytes(mended), by=national, today=TODAY)

    assert (report.created, report.replaced) == (0, 2)
    assert PastArrival.objects.count() == 2
    assert PastArrival.objects.get(key="A-1").members[0]["age"] == 42


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_saved(national):
    bad = GOOD + (
        "C-1,2031,CN,KZ-55,,30,M,6,,,,,,,,\n"          # line 6: a year to come
        "C-2,2022,ZZ,KZ-99,,30,X,9,12a,-3,good,,maybe,,,\n"  # line 7: six problems
        "A-1,2023,UZ,KZ-55,3,17,M,3,,,,,,,,\n"         # line 8: disagrees with the family's first row
        "D-1,2022,CN,KZ-55,1,30,M,3,,,,,,,,\n"
        "D-1,2022,CN,KZ-55,1,28,F,3,,,,,,,,\n"         # D-1 has two rows but a size of 1
    )
    report = placement_history_import(data=csv_bytes(bad), by=national, today=TODAY)

    assert not report.saved
    problems = {(e.line, e.column) for e in report.errors}
    assert (6, "year") in problems
    assert {(7, "sex"), (7, "education"), (7, "occupation"), (7, "experience_years"), (7, "kazakh"),
            (7, "employed_3m")} <= problems
    assert (8, "origin") in problems
    assert (9, "size") in problems
    assert all(e.message for e in report.errors)
    assert PastArrival.objects.count() == 0
    assert not AuditEvent.objects.filter(action="placement.history.import").exists()


def test_unknown_regions_and_countries_are_reported_against_the_reference_data(national):
    body = "E-1,2023,DE,KZ-63,,30,M,3,,,,,,,,\nE-2,2023,BR,KZ-55,,30,M,3,,,,,,,,\n"
    report = placement_history_import(data=csv_bytes(body), by=national, today=TODAY)
    assert {(e.line, e.column) for e in report.errors} == {(2, "region"), (3, "origin")}


@pytest.mark.parametrize("data, column", [
    (b"", ""),
    (b"family,year\nA,2020\n", "origin"),
    (b"family,year,origin,region,age,sex,colour\n", "colour"),
])
def test_a_file_that_cannot_be_read_is_refused_with_the_reason(national, data, column):
    report = placement_history_import(data=data, by=national, today=TODAY)
    assert not report.saved and report.errors
    assert {e.line for e in report.errors} == {1} and column in {e.column for e in report.errors}


def test_a_regional_officer_may_not_import_history(officer):
    with pytest.raises(PermissionDenied):
        placement_history_import(data=csv_bytes(GOOD), by=officer, today=TODAY)


def test_the_demo_history_is_drawn_from_the_truth_once_and_audited_as_one_event(reference):
    counts = placement_history_demo(by="koshiqon demo", families=300, seed=3, today=TODAY)

    assert counts["created"] == 300
    rows = PastArrival.objects.filter(source=HistorySource.DEMO)
    assert rows.count() == 300
    assert set(rows.values_list("truth", flat=True)) == {TRUTH_VERSION}
    assert set(rows.values_list("year", flat=True)) <= {2023, 2024, 2025}
    assert set(rows.values_list("region__code", flat=True)) <= {"KZ-11", "KZ-55", "KZ-75"}
    assert sum(len(r.outcomes) for r in rows) > 300
    assert AuditEvent.objects.filter(action="placement.history.demo").count() == 1

    again = placement_history_demo(by="koshiqon demo", families=300, seed=3, today=TODAY)
    assert again["created"] == 0 and rows.count() == 300
    assert AuditEvent.objects.filter(action="placement.history.demo").count() == 1


def test_the_history_of_this_system_is_built_from_plans_and_recorded_outcomes(national):
    scene = adaptation_history_scene()
    counts = placement_history_refresh(by=national)

    assert counts["families"] == 1 and counts["created"] == 1
    arrival = PastArrival.objects.get(source=HistorySource.SYSTEM)
    assert arrival.application_id == scene["application"].pk
    assert arrival.region.code == "KZ-55" and arrival.year == scene["arrival"].year
    assert arrival.outcomes == [{"member_index": 0, "employed_3m": False, "employed_6m": True,
                                 "employed_12m": True, "stayed_12m": True}]
    assert arrival.members[0]["occupation"] == "2341"

    again = placement_history_refresh(by=national)
    assert (again["created"], again["updated"]) == (0, 1) and PastArrival.objects.count() == 1
