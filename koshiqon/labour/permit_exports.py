"""XLSX workbooks of the permit-application and permit lists, as filtered and scoped, for the pages and the API.

Each row names a worker, so each export is logged as one read of each worker's record."""

from datetime import date
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from koshiqon.core.audit import access_record_many
from koshiqon.labour.models import APPLICATION_STATUS_LABELS, PERMIT_KIND_LABELS, PERMIT_STATUS_LABELS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _label(labels: dict, value: str) -> str:
    for key, label in labels.items():
        if key == value:
            return str(label)
    return value


def _save(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def applications_xlsx(applications, *, user, channel: str, path: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Applications"))
    sheet.append([_("Number"), _("Employer"), _("BIN"), _("Region of work"), _("Kind"), _("Category"),
                  _("Occupation (ISCO-08)"), _("Foreign worker"), _("Application date"), _("Decision due"),
                  _("Overdue"), _("Status"), _("Regime"), _("Reasons"), _("Local jobseekers"), _("Fee, MCI"),
                  _("Fee, tenge")])
    workers = []
    for a in applications.iterator(chunk_size=2000):
        workers.append(a.worker_id)
        sheet.append([
            a.number, a.employer.name, a.employer.bin, a.region.name, _label(PERMIT_KIND_LABELS, a.kind), a.category,
            a.occupation.code, a.worker.full_name, a.applied_on, a.decision_due,
            _("yes") if getattr(a, "is_overdue", False) else _("no"), _label(APPLICATION_STATUS_LABELS, a.status),
            a.regime, ", ".join(a.reasons or []), a.local_jobseekers, a.fee_mci, a.fee_tenge,
        ])
    access_record_many(user=user, object_type="people.person", object_ids=workers, channel=channel, path=path)
    return _save(book)


def permits_xlsx(permits, *, user, channel: str, path: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Permits"))
    sheet.append([_("Number"), _("Employer"), _("BIN"), _("Region"), _("Kind"), _("Category"), _("Foreign worker"),
                  _("Valid from"), _("Valid until"), _("Extensions"), _("Status")])
    workers = []
    for p in permits.iterator(chunk_size=2000):
        workers.append(p.worker_id)
        sheet.append([
            p.number, p.employer.name, p.employer.bin, p.region.name, _label(PERMIT_KIND_LABELS, p.kind), p.category,
            p.worker.full_name, p.valid_from, p.valid_until, p.extensions, _label(PERMIT_STATUS_LABELS, p.status),
        ])
    access_record_many(user=user, object_type="people.person", object_ids=workers, channel=channel, path=path)
    return _save(book)


def household_xlsx(permits, *, user, channel: str, path: str) -> bytes:
    book = Workbook(write_only=True)
    # A sheet's title may have at most 31 characters (Excel): a short wording of its own.
    sheet = book.create_sheet(pgettext("sheet title, at most 31 characters", "Household permits")[:31])
    sheet.append([_("Number"), _("Household worker"), _("Private employer"), _("Region"), _("Months"),
                  _("Valid from"), _("Valid until"), _("Advance income tax, MCI"), _("Advance income tax, tenge"),
                  _("Status")])
    persons = []
    for p in permits.iterator(chunk_size=2000):
        persons += [p.worker_id, p.employer_person_id]
        sheet.append([p.number, p.worker.full_name, p.employer_person.full_name, p.region.name, p.months,
                      p.valid_from, p.valid_until, p.advance_tax_mci, p.advance_tax_tenge,
                      _label(PERMIT_STATUS_LABELS, p.status)])
    access_record_many(user=user, object_type="people.person", object_ids=persons, channel=channel, path=path)
    return _save(book)


def filename(stem: str, today: date | None = None) -> str:
    return f"{stem}-{today or timezone.localdate()}.xlsx"
