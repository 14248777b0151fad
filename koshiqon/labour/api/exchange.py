"""`/api/v1/labour/vacancies`, `/jobseekers` and `/exchange/imports`: the labour exchange.

Officers keep the vacancies and registered jobseekers of their regions (one by one, or by importing a CSV or
XLSX file as a long job whose progress and row-level report are read back); viewers read them; an employer
account reads the vacancies of the employers it acts for. Occupations are ISCO-08 codes, regions ISO
3166-2:KZ codes, education ISCED 2011 levels.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import ConfigDict, Field

from koshiqon.core.api import ID_MAX, PageOut, PageParams, paginate, responses
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import require
from koshiqon.core.tables import too_large
from koshiqon.jobs import selectors as job_selectors
from koshiqon.jobs.services import file_param, job_start
from koshiqon.labour import exports
from koshiqon.labour.selectors import exchange as selectors
from koshiqon.labour.services import exchange as services
from koshiqon.labour.services.imports import KINDS, MAX_BYTES

router = Router(tags=["labour exchange"])

TEXT = r"^[^\x00-\x1f\x7f]*$"
VACANCY_ID = Path(..., ge=1, le=ID_MAX, description="The vacancy's id.")
JOBSEEKER_ID = Path(..., ge=1, le=ID_MAX, description="The jobseeker's id.")
JOB_ID = Path(..., ge=1, le=ID_MAX, description="The import job's id.")
IMPORT_KIND = "labour.exchange_import"
KIND_FIELD = Form(..., pattern=r"^(vacancies|jobseekers)$", description="vacancies or jobseekers")
FILE_FIELD = File(..., description="A CSV (UTF-8 or Windows-1251) or XLSX file, columns named on its first line.")
XLSX_RESPONSE = {200: {"description": "An XLSX workbook", "content": {
    exports.XLSX: {"schema": {"type": "string", "format": "binary"}}}}}


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


class VacancyFilters(PageParams):
    q: str = Field("", max_length=100, pattern=TEXT, description="Exchange id, title or employer BIN.")
    region: str = Field("", max_length=8, pattern=r"^(KZ-\d{2})?$")
    occupation: str = Field("", max_length=4, pattern=r"^\d{0,4}$", description="An ISCO-08 group and its sub-groups.")
    status: str = Field("", pattern=r"^(open|filled|closed)?$")
    posted_from: date | None = None
    posted_to: date | None = None


class VacancyOut(Schema):
    id: int
    exchange_id: str
    employer_id: int | None
    employer_bin: str
    title: str
    occupation: str = Field(validation_alias="occupation.code", description="ISCO-08 code.")
    region: str = Field(validation_alias="region.code")
    wage: int = Field(description="Monthly wage, tenge.")
    posted_on: date
    status: str


class VacancyPage(PageOut):
    items: list[VacancyOut]


class VacancyIn(Input):
    exchange_id: str = Field(max_length=40, pattern=TEXT)
    employer_bin: str = Field(max_length=20, pattern=TEXT)
    title: str = Field(max_length=300, pattern=TEXT)
    occupation: str = Field(max_length=4, pattern=TEXT, description="ISCO-08 code of 3 or 4 digits.")
    region: str = Field(max_length=8, pattern=TEXT)
    wage: int = Field(ge=1, le=100_000_000)
    posted_on: date
    status: str = Field("open", pattern=r"^(open|filled|closed)$")


class VacancyStatusIn(Input):
    status: str = Field(pattern=r"^(open|filled|closed)$")


class JobseekerFilters(PageParams):
    q: str = Field("", max_length=40, pattern=TEXT, description="Part of the registration number.")
    region: str = Field("", max_length=8, pattern=r"^(KZ-\d{2})?$")
    occupation: str = Field("", max_length=4, pattern=r"^\d{0,4}$")
    education: str = Field("", max_length=1, pattern=r"^\d?$")
    active_on: date | None = Field(None, description="Only those registered on that day.")


class JobseekerOut(Schema):
    id: int
    registration: str
    occupation: str = Field(validation_alias="occupation.code")
    region: str = Field(validation_alias="region.code")
    education: str | None
    registered_on: date
    deregistered_on: date | None

    @staticmethod
    def resolve_education(obj) -> str | None:
        return obj.education.code if obj.education_id else None


class JobseekerPage(PageOut):
    items: list[JobseekerOut]


class JobseekerIn(Input):
    registration: str = Field(max_length=40, pattern=TEXT)
    occupation: str = Field(max_length=4, pattern=TEXT)
    region: str = Field(max_length=8, pattern=TEXT)
    education: str = Field("", max_length=1, pattern=TEXT)
    registered_on: date
    deregistered_on: date | None = None


class DeregisterIn(Input):
    on: date | None = Field(None, description="Default: today.")
    reason: str = Field("", max_length=500, pattern=TEXT)


class CountOut(Schema):
    region: str
    occupation: str
    on: date
    jobseekers: int


class CountQuery(Schema):
    region: str = Field(pattern=r"^KZ-\d{2}$")
    occupation: str = Field(pattern=r"^\d{1,4}$")
    on: date


class ImportJobOut(Schema):
    job_id: int = Field(validation_alias="id")
    status: str
    done: int
    total: int
    percent: int
    message: str
    created_at: datetime
    finished_at: datetime | None
    result: dict | None = Field(description="When finished: rows, created, updated, unchanged, saved, and "
                                            "errors as [line, column, message].")


# --- Vacancies -------------------------------------------------------------------------------------------------

@router.get("/vacancies", response=responses({200: VacancyPage}, 403, 422), operation_id="labour_vacancy_list",
            summary="Vacancies of the labour exchange")
def vacancy_list(request: HttpRequest, filters: Query[VacancyFilters]):
    return paginate(selectors.vacancy_list(user=request.auth, filters=filters.dict()), filters)


@router.get("/vacancies/export.xlsx", response=responses({}, 403, 422), operation_id="labour_vacancy_export",
            summary="The vacancies as filtered, as an XLSX workbook", openapi_extra={"responses": XLSX_RESPONSE})
def vacancy_export(request: HttpRequest, filters: Query[VacancyFilters]):
    return exports.vacancies_workbook_response(selectors.vacancy_list(user=request.auth, filters=filters.dict()))


@router.get("/vacancies/{vacancy_id}", response=responses({200: VacancyOut}, 403, 404, 422),
            operation_id="labour_vacancy_get", summary="A vacancy")
def vacancy_get(request: HttpRequest, vacancy_id: int = VACANCY_ID):
    return selectors.vacancy_get(user=request.auth, pk=vacancy_id)


@router.post("/vacancies", response=responses({201: VacancyOut}, 400, 403, 422), operation_id="labour_vacancy_create",
             summary="Register a vacancy posted on the labour exchange")
def vacancy_create(request: HttpRequest, payload: VacancyIn):
    return Status(201, services.vacancy_create(by=request.auth, **payload.dict()))


@router.post("/vacancies/{vacancy_id}/status", response=responses({200: VacancyOut}, 400, 403, 404, 422),
             operation_id="labour_vacancy_status_set", summary="Mark a vacancy open, filled or closed")
def vacancy_status(request: HttpRequest, payload: VacancyStatusIn, vacancy_id: int = VACANCY_ID):
    require(request.auth, Perm.LABOUR_EXCHANGE)
    vacancy = selectors.vacancy_get(user=request.auth, pk=vacancy_id)
    return services.vacancy_status_set(vacancy=vacancy, status=payload.status, by=request.auth)


# --- Jobseekers ------------------------------------------------------------------------------------------------

@router.get("/jobseekers", response=responses({200: JobseekerPage}, 403, 422), operation_id="labour_jobseeker_list",
            summary="Registered local jobseekers")
def jobseeker_list(request: HttpRequest, filters: Query[JobseekerFilters]):
    return paginate(selectors.jobseeker_list(user=request.auth, filters=filters.dict()), filters)


@router.get("/jobseekers/export.xlsx", response=responses({}, 403, 422), operation_id="labour_jobseeker_export",
            summary="The jobseekers as filtered, as an XLSX workbook", openapi_extra={"responses": XLSX_RESPONSE})
def jobseeker_export(request: HttpRequest, filters: Query[JobseekerFilters]):
    return exports.jobseekers_workbook_response(selectors.jobseeker_list(user=request.auth, filters=filters.dict()))


@router.get("/jobseekers/count", response=responses({200: CountOut}, 403, 422), operation_id="labour_jobseeker_count",
            summary="Local jobseekers who could take a job in a region and occupation on a day")
def jobseeker_count(request: HttpRequest, query: Query[CountQuery]):
    """The figure the labour-market test quotes: registered on or before the day and not deregistered by
    then, in the region, in the occupation group or one of its sub-groups."""
    require(request.auth, Perm.LABOUR_VIEW)
    count = selectors.local_jobseekers_count(region=query.region, occupation=query.occupation, on=query.on)
    return {"region": query.region, "occupation": query.occupation, "on": query.on, "jobseekers": count}


@router.get("/jobseekers/{jobseeker_id}", response=responses({200: JobseekerOut}, 403, 404, 422),
            operation_id="labour_jobseeker_get", summary="A registered jobseeker")
def jobseeker_get(request: HttpRequest, jobseeker_id: int = JOBSEEKER_ID):
    return selectors.jobseeker_get(user=request.auth, pk=jobseeker_id)


@router.post("/jobseekers", response=responses({201: JobseekerOut}, 400, 403, 422),
             operation_id="labour_jobseeker_create", summary="Register a local jobseeker")
def jobseeker_create(request: HttpRequest, payload: JobseekerIn):
    return Status(201, services.jobseeker_create(by=request.auth, **payload.dict()))


@router.post("/jobseekers/{jobseeker_id}/deregister", response=responses({200: JobseekerOut}, 400, 403, 404, 422),
             operation_id="labour_jobseeker_deregister", summary="Take a jobseeker off the register")
def jobseeker_deregister(request: HttpRequest, payload: DeregisterIn, jobseeker_id: int = JOBSEEKER_ID):
    require(request.auth, Perm.LABOUR_EXCHANGE)
    jobseeker = selectors.jobseeker_get(user=request.auth, pk=jobseeker_id)
    return services.jobseeker_deregister(jobseeker=jobseeker, on=payload.on, reason=payload.reason, by=request.auth)


# --- Imports ---------------------------------------------------------------------------------------------------

@router.post("/exchange/imports", response=responses({202: ImportJobOut}, 400, 403, 422),
             operation_id="labour_exchange_import_start",
             summary="Import vacancies or jobseekers from a CSV or XLSX file, as a long job")
def import_start(request: HttpRequest, kind: str = KIND_FIELD, file: UploadedFile = FILE_FIELD):
    """All rows or none: the job's result lists every bad row with its line, column and reason. Follow it
    with `GET /labour/exchange/imports/{job_id}`."""
    require(request.auth, Perm.LABOUR_EXCHANGE)
    require(request.auth, Perm.JOBS_VIEW)
    if kind not in KINDS:
        raise ValidationError({"kind": [_("Choose vacancies or jobseekers.")]})
    if file.size > MAX_BYTES:
        raise ValidationError({"file": [too_large(MAX_BYTES)]})
    name = (file.name or "upload")[:100]
    title = (_("Import of vacancies from %(file)s") if kind == "vacancies"
             else _("Import of jobseekers from %(file)s")) % {"file": name}
    job = job_start(kind=IMPORT_KIND, title=title, by=request.auth, content=file_param(file.read()),
                    filename=name, what=kind)
    return Status(202, job)


@router.get("/exchange/imports/{job_id}", response=responses({200: ImportJobOut}, 403, 404, 422),
            operation_id="labour_exchange_import_get", summary="An import's progress and, when finished, its report")
def import_get(request: HttpRequest, job_id: int = JOB_ID):
    require(request.auth, Perm.LABOUR_EXCHANGE)
    job = job_selectors.job_get(user=request.auth, pk=job_id)
    if job.kind != IMPORT_KIND:
        raise Http404
    return job
