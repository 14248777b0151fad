"""Importing vacancies and jobseekers from CSV and XLSX files: every row or none, each bad row reported with
its line, column and reason in the user's language, run as a long job with its progress."""

import base64
from datetime import date, datetime
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from openpyxl import Workbook

from koshiqon.core.audit import audit_verify
from koshiqon.core.models import AuditEvent
from koshiqon.jobs.models import Job
from koshiqon.jobs.services import job_start
from koshiqon.labour.models import Jobseeker, Vacancy
from koshiqon.labour.services.imports import exchange_import, read_table
from koshiqon.labour.tests.setup_quota_exchange import a_bin, employer_in, jobseeker, load_reference, vacancy

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 1)
HEADER = "exchange_id,employer_bin,title,occupation,region,wage,posted_on,status"


@pytest.fixture
def scene(reference):
    load_reference()


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return "\n".join(lines).encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(by, data: bytes, kind: str = "vacancies", **options):
    return exchange_import(kind=kind, data=data, by=by, filename="file", today=TODAY, **options)


def test_a_good_csv_of_vacancies_is_saved_whole_linked_to_known_employers_and_audited(scene, officer):
    employer = employer_in("KZ-55", serial=1)
    report = run(officer, csv_bytes(
        HEADER,
        f"ENBEK-1,{a_bin(1)},Инженер-құрылысшы,214,KZ-55,450000,2026-02-10,",
        f"ENBEK-2,{a_bin(2)},Дәнекерлеуші,712,kz-55,\"320 000\",15.02.2026,closed",
    ))
    assert (report.saved, report.created, report.updated, report.errors) == (True, 2, 0, [])
    first, second = Vacancy.objects.order_by("exchange_id")
    assert (first.employer, first.status, second.employer, second.status) == (employer, "open", None, "closed")
    assert second.wage == 320_000 and second.posted_on == date(2026, 2, 15)
    assert AuditEvent.objects.filter(action="labour.vacancy.import_create").count() == 2
    summary = AuditEvent.objects.get(action="labour.vacancy.import")
    assert summary.after == {"file": "file", "rows": 2, "created": 2, "updated": 0, "unchanged": 0}
    assert audit_verify() is None


def test_bad_rows_are_each_reported_with_line_column_and_reason_in_kazakh_and_nothing_is_saved(scene, officer):
    bad_bin = a_bin(1)[:-1] + str((int(a_bin(1)[-1]) + 1) % 10)
    data = csv_bytes(
        HEADER,
        f"ENBEK-1,{a_bin(1)},Инженер,214,KZ-55,450000,2026-02-10,open",
        f"ENBEK-2,{bad_bin},Инженер,214,KZ-55,450000,2026-02-10,open",
        "",
        f"ENBEK-3,{a_bin(3)},,21,KZ-75,abc,2026-13-01,open",
        f"ENBEK-1,{a_bin(1)},Инженер,214,KZ-55,450000,2026-02-10,open",
    )
    with translation.override("kk"):
        report = run(officer, data)
    assert not report.saved
    assert [(e.line, e.column) for e in report.errors] == [
        (3, "employer_bin"), (5, "occupation"), (5, "posted_on"), (5, "region"), (5, "title"), (5, "wage"),
        (6, "exchange_id")]
    assert report.errors[0].message == "БСН-нің тексеру цифры қате: нөмірде қате басылмағанын тексеріңіз."
    assert not Vacancy.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="labour.vacancy").exists()


def test_rows_are_checked_against_the_reference_data_and_the_officer_s_regions(scene, officer):
    report = run(officer, csv_bytes(
        HEADER,
        f"E-1,{a_bin(1)},Инженер,21,KZ-55,450000,2026-02-10,",
        f"E-2,{a_bin(1)},Инженер,999,KZ-55,450000,2026-02-10,",
        f"E-3,{a_bin(1)},Инженер,214,KZ-75,450000,2026-02-10,",
        f"E-4,{a_bin(1)},Инженер,214,KZ-79,450000,2015-02-10,",
    ))
    assert [(e.line, e.column) for e in report.errors] == [(2, "occupation"), (3, "occupation"), (4, "region"),
                                                           (5, "region")]
    assert not Vacancy.objects.exists()


def test_a_file_with_unknown_or_missing_columns_is_refused_before_any_row(scene, officer):
    report = run(officer, csv_bytes("exchange_id;title;salary", "E-1;Инженер;100"))
    assert {(e.line, e.column) for e in report.errors} == {
        (1, "salary"), (1, "employer_bin"), (1, "occupation"), (1, "region"), (1, "wage"), (1, "posted_on")}
    assert run(officer, b"").errors[0].line == 1
    assert run(officer, csv_bytes(HEADER)).errors[0].message == "The file has no rows under its first line."
    assert run(officer, b"PK\x03\x04 not really a workbook").errors[0].message == "The file is not a readable XLSX workbook."
    assert run(officer, "exchange_id\n\u00e9".encode("utf-16")).errors


def test_a_row_already_registered_updates_its_record_and_an_unchanged_one_is_left_alone(scene, officer):
    vacancy(exchange_id="E-1", posted_on=date(2026, 2, 10))
    vacancy(exchange_id="E-2", posted_on=date(2026, 2, 10))
    report = run(officer, csv_bytes(
        HEADER,
        f"E-1,{a_bin(99)},Инженер,214,KZ-55,450000,2026-02-10,filled",
        f"E-2,{a_bin(99)},Инженер,214,KZ-55,450000,2026-02-10,open",
        f"E-3,{a_bin(99)},Инженер,214,KZ-55,450000,2026-02-11,open",
    ))
    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    assert Vacancy.objects.get(exchange_id="E-1").status == "filled"
    event = AuditEvent.objects.get(action="labour.vacancy.import_update")
    assert (event.before, event.after) == ({"status": "open"}, {"status": "filled"})


def test_a_record_of_another_region_cannot_be_updated_by_an_import(scene, other_officer):
    vacancy(exchange_id="E-1")
    report = run(other_officer, csv_bytes(HEADER, f"E-1,{a_bin(99)},Инженер,214,KZ-75,450000,2026-02-10,filled"))
    assert [(e.line, e.column) for e in report.errors] == [(2, "exchange_id")]
    assert Vacancy.objects.get(exchange_id="E-1").region.code == "KZ-55"


def test_an_xlsx_workbook_of_jobseekers_with_spreadsheet_dates_and_numbers_is_imported(scene, officer):
    report = run(officer, xlsx_bytes([
        ["Registration", "Occupation", "Region", "Education", "Registered_on", "Deregistered_on"],
        ["JS-1", 214, "KZ-55", 6, datetime(2025, 4, 1), None],
        ["JS-2", "711", "KZ-55", None, "01.05.2025", date(2025, 9, 1)],
        [None, None, None, None, None, None],
    ]), kind="jobseekers")
    assert (report.saved, report.created) == (True, 2)
    first, second = Jobseeker.objects.order_by("registration")
    assert (first.occupation.code, first.education.code, first.registered_on) == ("214", "6", date(2025, 4, 1))
    assert (second.education, second.deregistered_on) == (None, date(2025, 9, 1))


def test_an_xlsx_workbook_reports_the_spreadsheet_s_own_line_numbers(scene, officer):
    report = run(officer, xlsx_bytes([
        ["registration", "occupation", "region", "registered_on"],
        ["JS-1", "214", "KZ-55", datetime(2025, 4, 1)],
        [None, None, None, None],
        ["JS-2", "214", "KZ-55", datetime(2027, 4, 1)],
    ]), kind="jobseekers")
    assert [(e.line, e.column) for e in report.errors] == [(4, "registered_on")]
    assert not Jobseeker.objects.exists()


def test_a_csv_from_russian_excel_in_windows_1251_with_semicolons_is_read(scene, officer):
    data = csv_bytes("registration;occupation;region;registered_on", "РС-1;214;KZ-55;01.04.2025", encoding="cp1251")
    report = run(officer, data, kind="jobseekers")
    assert report.saved and Jobseeker.objects.get().registration == "РС-1"


def test_a_jobseeker_import_checks_education_and_dates(scene, officer):
    jobseeker("JS-OLD")
    report = run(officer, csv_bytes(
        "registration,occupation,region,education,registered_on,deregistered_on",
        "JS-1,214,KZ-55,9,2025-04-01,",
        "JS-2,214,KZ-55,3,2025-04-01,2025-03-01",
    ), kind="jobseekers")
    assert [(e.line, e.column) for e in report.errors] == [(2, "education"), (3, "deregistered_on")]
    assert Jobseeker.objects.count() == 1


def test_only_officers_keeping_the_exchange_import(scene, viewer, employer):
    for user in (viewer, employer):
        with pytest.raises(PermissionDenied):
            run(user, csv_bytes(HEADER))


def test_the_import_runs_as_a_long_job_that_reports_its_progress_and_its_result(
        scene, officer, django_capture_on_commit_callbacks):
    lines = [HEADER] + [f"E-{i},{a_bin(1)},Инженер,214,KZ-55,450000,2026-02-10,open" for i in range(1, 1201)]
    content = base64.b64encode(csv_bytes(*lines)).decode()
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="labour.exchange_import", title="Import", by=officer, what="vacancies",
                        filename="enbek.csv", content=content)
    job = Job.objects.get(pk=job.pk)
    assert (job.status, job.result["saved"], job.result["created"]) == ("succeeded", True, 1200)
    assert job.total == 2400 and job.done == 2400
    assert Vacancy.objects.count() == 1200


def test_read_table_keeps_the_line_numbers_of_a_csv_with_a_quoted_line_break(scene):
    header, rows, errors = read_table(csv_bytes("title,region", '"two\nlines",KZ-55', "x,KZ-75"))
    assert errors == [] and [line for line, _row in rows] == [3, 4]
