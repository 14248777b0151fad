"""The outcomes import: a CSV or XLSX file is saved whole, or nothing of it, with every bad row reported by
line, column and reason."""

from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from koshiqon.adaptation.models import Outcome
from koshiqon.adaptation.services.imports import outcomes_import
from koshiqon.adaptation.tests.plans_setup import make_plan, members
from koshiqon.core.models import AuditEvent

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


@pytest.fixture
def plan(centre, centre_staff):
    plan = make_plan(centre_staff, centre, arrival=date(2025, 5, 10), today=date(2025, 5, 10))
    head = members(plan.family)[0]
    head.iin = "840402300123"
    head.save()
    return plan


def _csv(plan, *lines: str) -> bytes:
    head, spouse, child = members(plan.family)
    text = "\n".join(lines).format(plan=plan.number, head=head.pk, spouse=spouse.pk, child=child.pk)
    return text.encode("utf-8")


def test_a_good_file_is_saved_whole_and_audited_in_one_batch(plan, centre_staff):
    content = _csv(plan, "plan;person;iin;months;employed;sector;stayed_in_region",
                   "{plan};{head};;3;жоқ;;",
                   "{plan};;840402300123;12;иә;F;иә",
                   "{plan};{spouse};;12;нет;;да")
    report = outcomes_import(name="outcomes.csv", content=content, by=centre_staff, today=TODAY)
    assert report.errors == [] and report.saved and (report.created, report.updated) == (3, 0)
    assert Outcome.objects.filter(source="import").count() == 3
    assert AuditEvent.objects.filter(action="adaptation.outcome.record").count() == 3


def test_bad_rows_are_reported_with_line_and_reason_and_nothing_is_saved(plan, centre_staff):
    content = _csv(plan, "plan,person,months,employed,sector,stayed_in_region",
                   "{plan},{head},3,yes,F,",  # good
                   "{plan},{head},9,yes,,",  # no such checkpoint
                   "{plan},{child},3,no,,",  # a child
                   "AP-2099-000009,{head},3,no,,",  # no such plan
                   "{plan},{spouse},6,perhaps,,",  # no such answer
                   "{plan},{spouse},6,no,C,yes")  # a sector without a job, residence before 12 months
    report = outcomes_import(name="outcomes.csv", content=content, by=centre_staff, today=TODAY)
    assert not report.saved and not Outcome.objects.exists()
    problems = {(line, column) for line, column, _message in report.errors}
    assert problems == {(3, "months"), (4, "person"), (5, "plan"), (6, "employed"), (7, "sector"),
                        (7, "stayed_in_region")}
    messages = {(line, column): message for line, column, message in report.errors}
    assert messages[(4, "person")] == "Outcomes are recorded for members of working age (16 to the pension age)."
    assert messages[(5, "plan")] == "There is no such plan at your centres."
    assert report.summary() == "Nothing was saved: 6 problems were found in the file."


def test_an_xlsx_workbook_is_read_like_a_csv_file(plan, centre_staff):
    book = Workbook()
    sheet = book.active
    sheet.append(["plan", "person", "months", "employed", "sector", "stayed_in_region"])
    head = members(plan.family)[0]
    sheet.append([plan.number, head.pk, 6, "yes", "G", None])
    sheet.append([plan.number, head.pk, 12.0, "Yes", None, "unknown"])
    buffer = BytesIO()
    book.save(buffer)
    report = outcomes_import(name="Нәтижелер.XLSX", content=buffer.getvalue(), by=centre_staff, today=TODAY)
    assert report.saved and report.created == 2
    assert Outcome.objects.get(months=12).stayed_in_region == "unknown"


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("a.csv", b"", [(1, "", "The file is empty: its first line must name the columns.")]),
    ("a.csv", b"plan,person,months,employed\n", [(1, "", "The file has no rows under its first line.")]),
    ("a.csv", b"plan,who,months\nAP-1,1,3\n",
     [(1, "employed", "This column is missing."),
      (1, "person", "Name the person with a person column (record number) or an iin column."),
      (1, "who", "Unknown column. The columns are: plan, person, iin, months, employed, sector, stayed_in_region.")]),
    ("a.xlsx", b"not a workbook", [(1, "", "The file cannot be read: send a CSV file or an XLSX workbook.")]),
])
def test_a_file_that_cannot_be_read_says_why(centre, centre_staff, name, content, expected):
    assert outcomes_import(name=name, content=content, by=centre_staff, today=TODAY).errors == expected


def test_a_regional_officer_may_not_import(centre, officer):
    with pytest.raises(PermissionDenied):
        outcomes_import(name="a.csv", content=b"plan", by=officer, today=TODAY)
