"""`/api/v1/kandas/`: selection runs, decisions and their letters, appeals, and the what-if comparison.

Thin: each operation calls the same selectors and services as the pages, so rights (a run is approved by a
national officer only: 403 for anyone else), region scoping (404 outside the user's regions), validation and
audit are the same by construction.
"""

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from koshiqon.core.api import ID_MAX, PageOut, PageParams, paginate, responses
from koshiqon.core.audit import access_record
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import require
from koshiqon.kandas import letters
from koshiqon.kandas.domain.grid import Grid
from koshiqon.kandas.domain.ranking import Quota
from koshiqon.kandas.selectors import selection as selectors
from koshiqon.kandas.services import selection as services

router = Router()

RUN_ID = Path(..., ge=1, le=ID_MAX, description="The selection run's id.")
APPLICATION_ID = Path(..., ge=1, le=ID_MAX, description="The application's id.")
APPEAL_ID = Path(..., ge=1, le=ID_MAX, description="The appeal's id.")
DecisionCode = Literal["included", "waitlisted", "ineligible"]
Language = Literal["kk", "ru", "en"]


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


class RunIn(Input):
    year: int = Field(ge=2000, le=2100, description="The quota year whose recommended applications are ranked.")


class ReasonIn(Input):
    reason: str = Field(min_length=1, max_length=500)


class RunOut(Schema):
    id: int
    year: int
    status: str
    plan_id: int
    grid_version: str = Field(validation_alias="grid_version.code")
    job_id: int | None
    approval_job_id: int | None = None
    started_by: str = Field(validation_alias="started_by.username")
    approved_by: str | None = Field(None, validation_alias="approved_by.username")
    approved_at: datetime | None
    created_at: datetime
    summary: dict[str, Any]


class RunPage(PageOut):
    items: list[RunOut]


class ResultFilters(PageParams):
    region: str = Field("", max_length=8, pattern=r"^[A-Za-z0-9-]*$", description="ISO 3166-2:KZ code.")
    decision: DecisionCode | None = None


class ResultOut(Schema):
    rank: int
    application_id: int
    number: str = Field(validation_alias="application.number")
    region: str = Field(validation_alias="application.region.code")
    score: float
    decision: DecisionCode
    breakdown: dict[str, Any] = Field(description="Points per criterion, by the grid's field.")


class ResultPage(PageOut):
    items: list[ResultOut]


class DecisionOut(Schema):
    id: int
    number: str
    year: int
    region: str
    status: str
    score: float | None
    decided_at: datetime | None
    status_valid_until: date | None
    breakdown: dict[str, Any]
    decision_reasons: list[Any]
    support: dict[str, Any] = Field(description="Items in MCI and tenge at the MCI of the decision date.")
    verification_url: str | None
    letter_url: str | None


class AppealIn(Input):
    grounds: str = Field(min_length=1, max_length=4000)
    filed_on: date


class AppealDecisionIn(Input):
    upheld: bool
    text: str = Field(min_length=1, max_length=4000)
    decided_on: date | None = None


class AppealOut(Schema):
    id: int
    application_id: int
    number: str = Field(validation_alias="application.number")
    filed_on: date
    due_on: date
    grounds: str
    outcome: str
    decided_on: date | None
    decision_text: str


class AppealFilters(PageParams):
    outcome: Literal["pending", "upheld", "dismissed"] | None = None


class AppealPage(PageOut):
    items: list[AppealOut]


class QuotaRowIn(Input):
    region: str = Field(max_length=8, pattern=r"^KZ-\d{2}$")
    quota: int = Field(ge=0, le=10_000_000)
    unit: Literal["families", "persons"]


class WhatIfIn(Input):
    year: int = Field(ge=2000, le=2100, description="The year whose applications are ranked again.")
    grid_version_id: int | None = Field(None, ge=1, le=ID_MAX, description="A stored kandas.grid version.")
    grid: Grid | None = Field(None, description="A draft grid (the GRID.json document).")
    plan_id: int | None = Field(None, ge=1, le=ID_MAX, description="A stored kandas quota plan.")
    quota: list[QuotaRowIn] | None = Field(None, max_length=50, description="Draft regional quotas.")


class ShiftOut(Schema):
    key: str
    families_before: int
    families_after: int
    persons_before: int
    persons_after: int


class MoveOut(Schema):
    application_id: int
    number: str
    region: str
    score_before: float
    score_after: float


class WhatIfOut(Schema):
    year: int
    applications: int
    families_before: int
    families_after: int
    persons_before: int
    persons_after: int
    entering: list[MoveOut]
    leaving: list[MoveOut]
    by_region: list[ShiftOut]
    by_education: list[ShiftOut]
    by_origin: list[ShiftOut]


# --- Runs -----------------------------------------------------------------------------------------------

@router.get("/selection-runs", response=responses({200: RunPage}, 403, 422), operation_id="kandas_run_list",
            summary="Selection runs, newest first", tags=["kandas selection"])
def run_list(request: HttpRequest, page: Query[PageParams]):
    return paginate(selectors.run_list(user=request.auth), page)


@router.post("/selection-runs", response=responses({202: RunOut}, 400, 403, 422), operation_id="kandas_run_start",
             summary="Start a selection run", tags=["kandas selection"])
def run_start(request: HttpRequest, payload: RunIn):
    """Ranks the year's recommended applications as a long job (follow it at `/jobs/{job_id}/`); the run is
    then `proposed` until a national officer approves it."""
    require(request.auth, Perm.KANDAS_SELECT)
    return Status(202, services.selection_run_start(year=payload.year, by=request.auth))


@router.get("/selection-runs/{run_id}", response=responses({200: RunOut}, 403, 404, 422),
            operation_id="kandas_run_get", summary="One selection run", tags=["kandas selection"])
def run_get(request: HttpRequest, run_id: int = RUN_ID):
    return selectors.run_get(user=request.auth, pk=run_id)


@router.get("/selection-runs/{run_id}/results", response=responses({200: ResultPage}, 403, 404, 422),
            operation_id="kandas_run_results", summary="A run's ranked list", tags=["kandas selection"])
def run_results(request: HttpRequest, filters: Query[ResultFilters], run_id: int = RUN_ID):
    run = selectors.run_get(user=request.auth, pk=run_id)
    results = selectors.run_results(user=request.auth, run=run, region=filters.region.upper(),
                                    decision=filters.decision or "")
    return paginate(results, filters)


@router.post("/selection-runs/{run_id}/approve", response=responses({202: RunOut}, 400, 403, 404, 422),
             operation_id="kandas_run_approve", summary="Approve a proposed run", tags=["kandas selection"])
def run_approve(request: HttpRequest, payload: ReasonIn, run_id: int = RUN_ID):
    """National officers only (403 for anyone else). Starts the approval as a long job (`approval_job_id`):
    the run is `approving` until every application of the run has its decision, then `approved`."""
    require(request.auth, Perm.KANDAS_APPROVE)
    run = selectors.run_get(user=request.auth, pk=run_id)
    return Status(202, services.selection_run_approve_start(run=run, by=request.auth, reason=payload.reason))


@router.post("/selection-runs/{run_id}/discard", response=responses({200: RunOut}, 400, 403, 404, 422),
             operation_id="kandas_run_discard", summary="Discard a proposed or failed run", tags=["kandas selection"])
def run_discard(request: HttpRequest, payload: ReasonIn, run_id: int = RUN_ID):
    require(request.auth, Perm.KANDAS_SELECT)
    run = selectors.run_get(user=request.auth, pk=run_id)
    return services.selection_run_discard(run=run, by=request.auth, reason=payload.reason)


# --- Decisions and letters ------------------------------------------------------------------------------

def _decision(request: HttpRequest, app) -> dict:
    has_letter = letters.has_letter(app)
    return {
        "id": app.pk, "number": app.number, "year": app.year, "region": app.region.code, "status": app.status,
        "score": float(app.score) if app.score is not None else None, "decided_at": app.decided_at,
        "status_valid_until": app.status_valid_until, "breakdown": app.breakdown or {},
        "decision_reasons": app.decision_reasons or [], "support": app.support or {},
        "verification_url": request.build_absolute_uri(reverse("kandas:verify", args=[app.verification_code]))
        if has_letter else None,
        "letter_url": request.build_absolute_uri(reverse("api:kandas_letter", args=[app.pk])) if has_letter else None,
    }


@router.get("/applications/{application_id}/decision", response=responses({200: DecisionOut}, 403, 404, 422),
            operation_id="kandas_decision_get", summary="An application's decision", tags=["kandas selection"])
def decision_get(request: HttpRequest, application_id: int = APPLICATION_ID):
    """The read is logged against the head of the family."""
    return _decision(request, selectors.decision_read(user=request.auth, pk=application_id, channel="api",
                                                      path=request.path))


@router.get("/applications/{application_id}/letter", response=responses({}, 403, 404, 422),
            operation_id="kandas_letter", summary="The decision letter (PDF)", tags=["kandas selection"],
            url_name="kandas_letter",
            openapi_extra={"responses": {200: {"description": "The letter", "content": {
                "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}})
def letter(request: HttpRequest, application_id: int = APPLICATION_ID, lang: Language | None = None):
    """404 until the application has a decision from an approved run. In the family's language of
    correspondence unless `lang` asks for another."""
    app = selectors.decided_application_get(user=request.auth, pk=application_id)
    lang = lang or app.language
    if not letters.has_letter(app):
        raise Http404
    access_record(user=request.auth, obj=app.head, channel="api", path=request.path)  # the letter names the family
    url = request.build_absolute_uri(reverse("kandas:verify", args=[app.verification_code]))
    pdf = letters.decision_letter_pdf(application=app, verify_url=url, language=lang)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letters.letter_filename(app, lang)}"'
    return response


@router.post("/applications/{application_id}/status", response=responses({200: DecisionOut}, 400, 403, 404, 422),
             operation_id="kandas_status_grant", summary="Record the status certificate as issued",
             tags=["kandas selection"])
def status_grant(request: HttpRequest, application_id: int = APPLICATION_ID):
    require(request.auth, Perm.KANDAS_PROCESS)
    app = selectors.decided_application_get(user=request.auth, pk=application_id)
    return _decision(request, services.kandas_grant_status(application=app, by=request.auth))


# --- Appeals --------------------------------------------------------------------------------------------

@router.get("/appeals", response=responses({200: AppealPage}, 403, 422), operation_id="kandas_appeal_list",
            summary="Appeals", tags=["kandas appeals"])
def appeal_list(request: HttpRequest, filters: Query[AppealFilters]):
    return paginate(selectors.appeal_list(user=request.auth, outcome=filters.outcome or ""), filters)


@router.post("/applications/{application_id}/appeals", response=responses({201: AppealOut}, 400, 403, 404, 422),
             operation_id="kandas_appeal_file", summary="File an appeal against a decision", tags=["kandas appeals"])
def appeal_file(request: HttpRequest, payload: AppealIn, application_id: int = APPLICATION_ID):
    require(request.auth, Perm.KANDAS_PROCESS)
    app = selectors.decided_application_get(user=request.auth, pk=application_id)
    return Status(201, services.appeal_file(application=app, by=request.auth, **payload.model_dump()))


@router.get("/appeals/{appeal_id}", response=responses({200: AppealOut}, 403, 404, 422),
            operation_id="kandas_appeal_get", summary="One appeal", tags=["kandas appeals"])
def appeal_get(request: HttpRequest, appeal_id: int = APPEAL_ID):
    return selectors.appeal_get(user=request.auth, pk=appeal_id)


@router.post("/appeals/{appeal_id}/decision", response=responses({200: AppealOut}, 400, 403, 404, 422),
             operation_id="kandas_appeal_decide", summary="Decide an appeal", tags=["kandas appeals"])
def appeal_decide(request: HttpRequest, payload: AppealDecisionIn, appeal_id: int = APPEAL_ID):
    """Upheld, the application returns to `recommended` and enters the next selection."""
    require(request.auth, Perm.KANDAS_PROCESS)
    appeal = selectors.appeal_get(user=request.auth, pk=appeal_id)
    return services.appeal_decide(appeal=appeal, by=request.auth, **payload.model_dump())


# --- What-if --------------------------------------------------------------------------------------------

@router.post("/what-if", response=responses({200: WhatIfOut}, 400, 403, 422), operation_id="kandas_whatif",
             summary="Compare a draft grid or quota with the rules in force", tags=["kandas selection"])
def whatif(request: HttpRequest, payload: WhatIfIn):
    """Ranks the applications of `year` under the rules in force and under the draft (a grid, a quota or
    both; what is not given stays as in force) and says who enters and leaves the quota. Writes nothing."""
    require(request.auth, Perm.KANDAS_SELECT)  # 403 before the draft is looked at
    quotas = None
    if payload.quota:
        if len({row.region for row in payload.quota}) < len(payload.quota):
            raise ValidationError({"quota": [_("Give each region once.")]})
        if len({row.unit for row in payload.quota}) > 1:
            raise ValidationError({"quota": [_("All rows must count in the same unit.")]})
        quotas = {row.region: Quota(row.quota, row.unit) for row in payload.quota}
    result, _code = selectors.whatif(user=request.auth, year=payload.year, grid=payload.grid,
                                     grid_version_id=payload.grid_version_id, quotas=quotas, plan_id=payload.plan_id)
    c = result.comparison

    def moves(ids):
        return [{"application_id": pk, "number": result.numbers[pk], "region": result.regions[pk],
                 "score_before": result.scores_before[pk], "score_after": result.scores_after[pk]} for pk in ids]

    return {
        "year": result.year, "applications": result.applications, "families_before": c.families_before,
        "families_after": c.families_after, "persons_before": c.persons_before, "persons_after": c.persons_after,
        "entering": moves(c.entering), "leaving": moves(c.leaving),
        "by_region": list(c.by_region), "by_education": list(c.by_education), "by_origin": list(c.by_origin),
    }
