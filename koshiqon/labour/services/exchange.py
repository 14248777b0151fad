"""Writes on the labour exchange: vacancies (registered, their status changed) and registered local jobseekers
(registered, deregistered), one by one here and in bulk from files in `services/imports.py`.

Both ways go through the same checks: the row's own values (`domain/exchange.py`), then what needs the
database (`check_vacancy`, `check_jobseeker`): the region exists on the date and is one the officer keeps,
the occupation is an ISCO-08 minor or unit group (3 or 4 digits), the education an ISCED 2011 level.
Who: officers keeping the exchange of their regions (LABOUR_EXCHANGE; national officers everywhere).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koshiqon.core.audit import audit_record, snapshot
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import region_ids_in_scope, require
from koshiqon.labour.domain.exchange import (
    JobseekerRow,
    Problem,
    VacancyRow,
    cell_date,
    cell_text,
    parse_jobseeker,
    parse_vacancy,
)
from koshiqon.labour.models import Employer, Jobseeker, Vacancy, VacancyStatus
from koshiqon.people.messages import BIN_MESSAGES
from koshiqon.reference.models import EducationLevel, Occupation, Region

# The least precise occupation a vacancy or a jobseeker may name: an ISCO-08 minor group (3 digits).
MIN_OCCUPATION_LEVEL = 3

PROBLEM_MESSAGES = {
    "required": gettext_lazy("This field is required."),
    "too_long": gettext_lazy("Ensure this value has at most %(max)s characters."),
    "control": gettext_lazy("Remove the control characters (line breaks, tabs) from this value."),
    "whole_number": gettext_lazy("Enter a whole number."),
    "positive": gettext_lazy("Enter a number greater than 0."),
    "too_large": gettext_lazy("Ensure this value is at most %(max)s."),
    "date": gettext_lazy("Write the date as YYYY-MM-DD or DD.MM.YYYY, for example 2026-03-21."),
    "future": gettext_lazy("The date cannot be in the future."),
    "status": gettext_lazy("Choose one of: %(choices)s."),
    "occupation_format": gettext_lazy("Write an ISCO-08 code of 3 or 4 digits, for example 214."),
    "region_format": gettext_lazy("Write the ISO 3166-2 code of the region, for example KZ-55."),
    "education_format": gettext_lazy("Write the ISCED 2011 level, a digit from 0 to 8."),
    "before_registration": gettext_lazy("The jobseeker cannot be deregistered before being registered."),
    "unknown_column": gettext_lazy("Unknown column. The columns are: %(columns)s."),
    "missing_column": gettext_lazy("This column is missing."),
    "duplicate_column": gettext_lazy("A column is named twice."),
}


def problem_message(problem: Problem, **extra: str) -> str:
    """A domain problem worded in the user's language (`extra`: values the message needs that the problem
    does not carry, such as the list of columns)."""
    params = dict(problem.params) | extra
    if problem.code.startswith("bin_") and problem.code[4:] in BIN_MESSAGES:
        return str(BIN_MESSAGES[problem.code[4:]])
    if problem.code == "too_large" and params.get("max", "").isdigit():
        params["max"] = f"{int(params['max']):,}".replace(",", " ")
    message = PROBLEM_MESSAGES.get(problem.code)
    return str(message) % params if message else problem.code


@dataclass
class Refs:
    """The reference records rows point at, loaded once for a whole file."""

    regions: dict[str, Region] = field(default_factory=dict)
    occupations: dict[str, Occupation] = field(default_factory=dict)
    education: dict[str, EducationLevel] = field(default_factory=dict)
    employers: dict[str, Employer] = field(default_factory=dict)
    scope: set[int] | None = None

    @classmethod
    def load(cls, *, user, regions: Iterable[str], occupations: Iterable[str], education: Iterable[str] = (),
             bins: Iterable[str] = ()) -> "Refs":
        return cls(
            regions={r.code: r for r in Region.objects.filter(code__in=set(regions)).prefetch_related("names")},
            occupations={o.code: o for o in Occupation.objects.filter(code__in=set(occupations))},
            education={e.code: e for e in EducationLevel.objects.filter(code__in=set(education))},
            employers={e.bin: e for e in Employer.objects.filter(bin__in=set(bins))},
            scope=region_ids_in_scope(user),
        )


def _check_place(refs: Refs, region_code: str | None, occupation_code: str | None, on: date | None,
                 out: dict[str, list[str]]) -> None:
    """The region exists (on the row's date, when it is known) and is the officer's; the occupation is a known
    ISCO-08 group, precise enough. A value None was already refused by the row's own checks."""
    region = refs.regions.get(region_code) if region_code is not None else None
    if region_code is None:
        pass
    elif region is None:
        out.setdefault("region", []).append(_("Unknown region code: write the ISO 3166-2 code, for example KZ-55."))
    elif on is not None and not region.exists_on(on):
        out.setdefault("region", []).append(_("This region did not exist on %(date)s.") % {"date": on.isoformat()})
    elif refs.scope is not None and region.pk not in refs.scope:
        out.setdefault("region", []).append(_("You keep the labour exchange of your own regions only."))
    if occupation_code is None:
        return
    occupation = refs.occupations.get(occupation_code)
    if occupation is None:
        out.setdefault("occupation", []).append(_("Unknown ISCO-08 occupation code."))
    elif occupation.level < MIN_OCCUPATION_LEVEL:
        out.setdefault("occupation", []).append(
            _("Name the occupation as an ISCO-08 minor group (3 digits) or unit group (4 digits), not a broader "
              "group."))


def check_vacancy(row: VacancyRow, refs: Refs) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    _check_place(refs, row.region, row.occupation, row.posted_on, out)
    return out


def check_jobseeker(row: JobseekerRow, refs: Refs) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    _check_place(refs, row.region, row.occupation, row.registered_on, out)
    if row.education and row.education not in refs.education:
        out.setdefault("education", []).append(_("Unknown ISCED 2011 level."))
    return out


def raw_codes(record) -> tuple[str, str, str]:
    """The region, occupation and education codes of a raw row, as the row checks normalise them."""
    return tuple(cell_text(record.get(name)).upper() for name in ("region", "occupation", "education"))


def check_partial(record, problems: list[Problem], refs: Refs, date_column: str) -> dict[str, list[str]]:
    """The reference checks of a row whose own values have problems, for the values that are fine, so that
    the officer learns of every problem of the row at once."""
    bad = {p.column for p in problems}
    region, occupation, education = raw_codes(record)
    on = None
    if date_column not in bad and cell_text(record.get(date_column)):
        on = cell_date(record.get(date_column))
    out: dict[str, list[str]] = {}
    _check_place(refs, region if region and "region" not in bad else None,
                 occupation if occupation and "occupation" not in bad else None, on, out)
    if "education" in record and education and "education" not in bad and education not in refs.education:
        out.setdefault("education", []).append(_("Unknown ISCED 2011 level."))
    return out


def _merge(errors: dict[str, list[str]], more: dict[str, list[str]]) -> None:
    for name, messages in more.items():
        errors.setdefault(name, []).extend(messages)


def _problems(problems: list[Problem]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for problem in problems:
        out.setdefault(problem.column or "__all__", []).append(problem_message(problem))
    return out


def vacancy_values(row: VacancyRow, refs: Refs) -> dict:
    return {
        "exchange_id": row.exchange_id, "employer_bin": row.employer_bin, "employer": refs.employers.get(row.employer_bin),
        "title": row.title, "occupation": refs.occupations[row.occupation], "region": refs.regions[row.region],
        "wage": row.wage, "posted_on": row.posted_on, "status": row.status,
    }


def jobseeker_values(row: JobseekerRow, refs: Refs) -> dict:
    return {
        "registration": row.registration, "occupation": refs.occupations[row.occupation],
        "region": refs.regions[row.region], "education": refs.education.get(row.education) if row.education else None,
        "registered_on": row.registered_on, "deregistered_on": row.deregistered_on,
    }


@transaction.atomic
def vacancy_create(
    *, exchange_id: str, employer_bin: str, title: str, occupation: str, region: str, wage, posted_on,
    status: str = VacancyStatus.OPEN, by,
) -> Vacancy:
    """Register a vacancy as posted on the national labour exchange. Linked to the registered employer of
    the same BIN, when there is one."""
    require(by, Perm.LABOUR_EXCHANGE)
    record = {"exchange_id": exchange_id, "employer_bin": employer_bin, "title": title, "occupation": occupation,
              "region": region, "wage": wage, "posted_on": posted_on, "status": status}
    row, problems = parse_vacancy(record, today=timezone.localdate())
    errors = _problems(problems)
    region, occupation, _education = raw_codes(record)
    refs = Refs.load(user=by, regions=[region], occupations=[occupation], bins=[row.employer_bin if row else ""])
    if row is None:
        _merge(errors, check_partial(record, problems, refs, "posted_on"))
    else:
        _merge(errors, check_vacancy(row, refs))
    exchange_id = cell_text(exchange_id)
    if exchange_id and Vacancy.objects.filter(exchange_id=exchange_id).exists():
        errors.setdefault("exchange_id", []).append(_("A vacancy with this exchange id is already registered."))
    if errors or row is None:
        raise ValidationError(errors)
    vacancy = Vacancy.objects.create(**vacancy_values(row, refs))
    audit_record(by=by, action="labour.vacancy.create", obj=vacancy, region_code=vacancy.region.code,
                 after=snapshot(vacancy))
    return vacancy


def _require_keeper(user, region: Region) -> None:
    require(user, Perm.LABOUR_EXCHANGE)
    scope = region_ids_in_scope(user)
    if scope is not None and region.pk not in scope:
        raise PermissionDenied(Perm.LABOUR_EXCHANGE.value)


@transaction.atomic
def vacancy_status_set(*, vacancy: Vacancy, status: str, by) -> Vacancy:
    """Mark a vacancy open, filled or closed (as the exchange reports it)."""
    _require_keeper(by, vacancy.region)
    if status not in VacancyStatus.values:
        raise ValidationError({"status": [_("Choose one of: %(choices)s.") % {"choices": ", ".join(VacancyStatus.values)}]})
    if status != vacancy.status:
        before = vacancy.status
        vacancy.status = status
        vacancy.save(update_fields=["status", "updated_at"])
        audit_record(by=by, action="labour.vacancy.status", obj=vacancy, region_code=vacancy.region.code,
                     before={"status": before}, after={"status": status})
    return vacancy


@transaction.atomic
def jobseeker_create(
    *, registration: str, occupation: str, region: str, education: str = "", registered_on, deregistered_on=None, by,
) -> Jobseeker:
    """Register a local jobseeker with the employment body: the register the labour-market test counts."""
    require(by, Perm.LABOUR_EXCHANGE)
    record = {"registration": registration, "occupation": occupation, "region": region, "education": education,
              "registered_on": registered_on, "deregistered_on": deregistered_on}
    row, problems = parse_jobseeker(record, today=timezone.localdate())
    errors = _problems(problems)
    region, occupation, level = raw_codes(record)
    refs = Refs.load(user=by, regions=[region], occupations=[occupation], education=[level])
    if row is None:
        _merge(errors, check_partial(record, problems, refs, "registered_on"))
    else:
        _merge(errors, check_jobseeker(row, refs))
    registration = cell_text(registration)
    if registration and Jobseeker.objects.filter(registration=registration).exists():
        errors.setdefault("registration", []).append(_("A jobseeker with this registration number is already "
                                                       "registered."))
    if errors or row is None:
        raise ValidationError(errors)
    jobseeker = Jobseeker.objects.create(**jobseeker_values(row, refs))
    audit_record(by=by, action="labour.jobseeker.create", obj=jobseeker, region_code=jobseeker.region.code,
                 after=snapshot(jobseeker))
    return jobseeker


@transaction.atomic
def jobseeker_deregister(*, jobseeker: Jobseeker, on: date | None = None, reason: str = "", by) -> Jobseeker:
    """Take a jobseeker off the register (found work, moved, stopped looking): from that day on, they no
    longer count for the labour-market test."""
    _require_keeper(by, jobseeker.region)
    on = on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if jobseeker.deregistered_on is not None:
        errors["deregistered_on"] = [_("This jobseeker is already deregistered.")]
    elif on < jobseeker.registered_on:
        errors["deregistered_on"] = [str(PROBLEM_MESSAGES["before_registration"])]
    elif on > timezone.localdate():
        errors["deregistered_on"] = [str(PROBLEM_MESSAGES["future"])]
    if errors:
        raise ValidationError(errors)
    jobseeker.deregistered_on = on
    jobseeker.save(update_fields=["deregistered_on", "updated_at"])
    audit_record(by=by, action="labour.jobseeker.deregister", obj=jobseeker, region_code=jobseeker.region.code,
                 before={"deregistered_on": None}, after={"deregistered_on": on}, reason=(reason or "").strip())
    return jobseeker
