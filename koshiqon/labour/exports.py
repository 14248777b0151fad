"""XLSX workbooks of the labour pages and API: the quota's utilisation table, and the lists of vacancies and
of registered jobseekers as filtered. Built from what the selectors return (already scoped to the user), with
openpyxl in write-only mode so that a long list streams into the file; headers in the user's language."""

from datetime import date
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from koshiqon.labour.models import VacancyStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _response(book: Workbook, filename: str) -> HttpResponse:
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def quota_workbook_response(*, quota, rows) -> HttpResponse:
    """One row per region and category: places, used, left, per cent used; then the totals by category."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Quota %(year)s") % {"year": quota.year})
    sheet.append([_("Foreign-labour quota %(year)s") % {"year": quota.year}])
    sheet.append([quota.legal_act, quota.legal_number or "", quota.legal_date])
    sheet.append([])
    sheet.append([_("Region code"), _("Region"), _("Category"), _("Places"), _("Used"), _("Left"), _("Per cent used")])
    totals: dict[str, list[int]] = {}
    for row in rows:
        sheet.append([row.region.code, row.region.name_on(date(quota.year, 12, 31)),
                      row.category, row.places, row.used, row.left, float(row.percent)])
        total = totals.setdefault(row.category, [0, 0])
        total[0] += row.places
        total[1] += row.used
    for category, (places, used) in totals.items():
        sheet.append(["", _("Total"), category, places, used, places - used,
                      round(100 * used / places, 1) if places else 0.0])
    return _response(book, f"labour-quota-{quota.year}.xlsx")


def vacancies_workbook_response(vacancies) -> HttpResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Vacancies"))
    sheet.append([_("Exchange id"), _("Employer BIN"), _("Employer"), _("Title"), _("Occupation (ISCO-08)"),
                  _("Occupation"), _("Region"), _("Monthly wage, tenge"), _("Posted on"), _("Status")])
    statuses = dict(VacancyStatus.choices)
    for v in vacancies.iterator(chunk_size=2000):
        sheet.append([v.exchange_id, v.employer_bin, v.employer.name if v.employer_id else "", v.title,
                      v.occupation.code, v.occupation.name, v.region.code, v.wage, v.posted_on,
                      str(statuses.get(v.status, v.status))])
    return _response(book, f"labour-vacancies-{timezone.localdate()}.xlsx")


def jobseekers_workbook_response(jobseekers) -> HttpResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Jobseekers"))
    sheet.append([_("Registration number"), _("Occupation (ISCO-08)"), _("Occupation"), _("Region"),
                  _("Education (ISCED 2011)"), _("Registered since"), _("Deregistered on")])
    for j in jobseekers.iterator(chunk_size=2000):
        sheet.append([j.registration, j.occupation.code, j.occupation.name, j.region.code,
                      j.education.code if j.education_id else "", j.registered_on, j.deregistered_on])
    return _response(book, f"labour-jobseekers-{timezone.localdate()}.xlsx")
