"""`/api/v1/kandas/applications` and `/api/v1/kandas/quota-plans`: the kandas procedure for other systems.

Thin: each operation calls the same selectors and services as the pages, so the rights (403), the regions
(404 outside them), the validation (422 with fields) and the audit are the same by construction. Regions are
ISO 3166-2:KZ codes, education levels ISCED 2011 codes, occupations ISCO-08 codes.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from koshiqon.core.api import ID_MAX, PageOut, PageParams, paginate, responses
from koshiqon.core.audit import persons_read
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import require
from koshiqon.kandas.domain import procedure
from koshiqon.kandas.domain.status import AppStatus
from koshiqon.kandas.models import Channel, LanguageLevel, QuotaCategory
from koshiqon.kandas.selectors import applications as selectors
from koshiqon.kandas.services import applications as services
from koshiqon.reference.selectors import region_by_code

router = Router()

APPLICATION_ID = Path(..., ge=1, le=ID_MAX, description="The application's id.")
StatusCode = Literal[tuple(s.value for s in AppStatus)]  # type: ignore[valid-type]
ChannelCode = Literal[tuple(Channel.values)]  # type: ignore[valid-type]
Level = Literal[tuple(LanguageLevel.values)]  # type: ignore[valid-type]
CategoryCode = Literal[tuple(QuotaCategory.values)]  # type: ignore[valid-type]
TEXT = r"^[^\x00-\x1f\x7f]*$"
CODE = {"max_length": 40, "pattern": r"^[a-z][a-z0-9_]*$"}


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


# --- Shapes ------------------------------------------------------------------------------------------------

class ApplicationFilters(PageParams):
    status: StatusCode | None = None
    region: str = Field("", max_length=8, pattern=TEXT, description="ISO 3166-2:KZ code, e.g. KZ-55.")
    year: int | None = Field(None, ge=1991, le=2100)
    channel: ChannelCode | None = None
    overdue: bool | None = Field(None, description="true: only applications waiting past a deadline.")
    q: str = Field("", max_length=100, pattern=TEXT, description="An application number, or the head's name.")


class MemberOut(Schema):
    person_id: int
    name: str
    birth_date: date
    relation: str
    education: str | None = Field(description="ISCED 2011 level.")
    occupation: str | None = Field(description="ISCO-08 code.")
    experience_years: Decimal
    kazakh: Level
    russian: Level
    other_languages: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.person.full_name

    @staticmethod
    def resolve_birth_date(obj) -> date:
        return obj.person.birth_date

    @staticmethod
    def resolve_education(obj) -> str | None:
        return obj.education.code if obj.education_id else None

    @staticmethod
    def resolve_occupation(obj) -> str | None:
        return obj.occupation.code if obj.occupation_id else None


class ApplicationOut(Schema):
    id: int
    number: str = Field(description="KQ-<year>-<six digits>.")
    year: int
    family_id: int
    head_id: int
    head_name: str
    region: str = Field(description="ISO 3166-2:KZ code of the preferred region.")
    channel: ChannelCode
    language: Literal["kk", "ru", "en"] = Field(description="Language of correspondence: letters are written in it.")
    applied_at: datetime
    status: StatusCode
    priority: str
    check_due: date | None
    commission_due: date | None
    is_overdue: bool = Field(description="Waiting past the deadline of its status (check or commission).")
    rules_version: str | None = Field(description="Code of the rules version the case is handled under.")
    score: Decimal | None
    decision_reasons: list[str]

    @staticmethod
    def resolve_head_name(obj) -> str:
        return obj.head.full_name

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.code

    @staticmethod
    def resolve_rules_version(obj) -> str | None:
        return obj.rules_version.code if obj.rules_version_id else None

    @staticmethod
    def resolve_is_overdue(obj) -> bool:
        if hasattr(obj, "is_overdue"):
            return bool(obj.is_overdue)
        deadlines = procedure.Deadlines(obj.check_due, obj.commission_due)
        return procedure.overdue(obj.status, deadlines, timezone.localdate()) is not None


class ApplicationDetailOut(ApplicationOut):
    checklist: dict[str, bool] = Field(description="Required documents of the rules version: received or not.")
    members: list[MemberOut]

    @staticmethod
    def resolve_members(obj) -> list:
        return list(selectors.application_members(application=obj))


class ApplicationPage(PageOut):
    items: list[ApplicationOut]


class MemberIn(Input):
    person_id: int = Field(ge=1, le=ID_MAX, description="A member of the family in the person registry.")
    relation: str | None = Field(None, max_length=12, description="Defaults to the relation in the registry.")
    education: str | None = Field(None, max_length=2, description="ISCED 2011 level, 0 to 8.")
    occupation: str | None = Field(None, max_length=4, description="ISCO-08 code.")
    experience_years: Decimal = Field(Decimal(0), ge=0, le=60, decimal_places=1)
    kazakh: Level = "none"
    russian: Level = "none"
    other_languages: str = Field("", max_length=200, pattern=TEXT)


class ApplicationIn(Input):
    family_id: int = Field(ge=1, le=ID_MAX)
    region: str = Field(max_length=8, description="ISO 3166-2:KZ code of the preferred region.")
    channel: ChannelCode
    applied_at: datetime = Field(description="When the application was received (ISO date-time).")
    members: list[MemberIn] = Field(min_length=1, max_length=40)
    checklist: dict[str, bool] = Field(default_factory=dict, description="Documents received, by code.")
    priority: str = Field("", max_length=40, description="A priority category of the rules, or empty.")
    language: Literal["kk", "ru", "en"] = Field("kk", description="Language of correspondence (letters).")


class CheckIn(Input):
    complete: bool
    missing: list[str] = Field(default_factory=list, max_length=40, description="Codes of missing documents.")
    note: str = Field("", max_length=1000)


class ResubmitIn(Input):
    received: list[str] = Field(default_factory=list, max_length=40,
                                description="Codes of the documents handed in now.")


class CommissionIn(Input):
    recommend: bool
    reasons: list[str] = Field(default_factory=list, max_length=20, description="Required when not recommending.")


class WithdrawIn(Input):
    reason: str = Field(max_length=1000)


class RegionalQuotaOut(Schema):
    region: str
    amount: int

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.code


class QuotaPlanOut(Schema):
    year: int
    category: CategoryCode
    unit: Literal["families", "persons"]
    national_total: int | None
    legal_act: str
    legal_number: str
    legal_date: date | None
    confidence: str
    regional: list[RegionalQuotaOut]

    @staticmethod
    def resolve_regional(obj) -> list:
        return list(obj.regional.all())


class RegionUseOut(Schema):
    region: str = Field(description="ISO 3166-2:KZ code; empty for the national total.")
    quota: int
    granted: int = Field(description="Included in the quota or granted kandas status, in the plan's unit.")
    pending: int = Field(description="Submitted, checked or recommended, not decided yet.")
    free: int


class UtilisationOut(Schema):
    plan: QuotaPlanOut
    regions: list[RegionUseOut]
    total: RegionUseOut


# --- Applications ------------------------------------------------------------------------------------------

@router.get("/applications", response=responses({200: ApplicationPage}, 403, 422),
            operation_id="kandas_application_list", summary="Search applications")
def application_list(request: HttpRequest, filters: Query[ApplicationFilters]):
    """Each head of family named on the page is logged as read."""
    values = filters.model_dump(exclude={"limit", "offset"})
    page = paginate(selectors.application_list(user=request.auth, filters=values), filters)
    persons_read(request, [a.head_id for a in page["items"]], channel="api")
    return page


@router.get("/applications/{application_id}", response=responses({200: ApplicationDetailOut}, 403, 404, 422),
            operation_id="kandas_application_get", summary="One application, with its members")
def application_get(request: HttpRequest, application_id: int = APPLICATION_ID):
    """The read is logged against the head of the family."""
    return selectors.application_get(user=request.auth, pk=application_id, channel="api", path=request.path)


def _renamed(exc: ValidationError) -> ValidationError:
    rename = {"family": "family_id"}
    errors = {}
    for name, messages in exc.message_dict.items():
        name = rename.get(name, name)
        if name.startswith("members.") and name.endswith(".person"):
            name = name.removesuffix(".person") + ".person_id"
        errors[name] = messages
    return ValidationError(errors)


@router.post("/applications", response=responses({201: ApplicationDetailOut}, 400, 403, 422),
             operation_id="kandas_application_submit", summary="Register a family's application")
def application_submit(request: HttpRequest, payload: ApplicationIn):
    """The application is numbered, handled under the rules in force on `applied_at`, and given the deadline
    of its completeness check."""
    require(request.auth, Perm.KANDAS_PROCESS)
    try:
        family = selectors.family_for_application(user=request.auth, pk=payload.family_id)
    except Http404:
        raise ValidationError({"family_id": [_("There is no such family in your regions.")]})
    region = region_by_code(payload.region)
    if region is None:
        raise ValidationError({"region": [_("Unknown region code: use an ISO 3166-2:KZ code such as KZ-55.")]})
    members = [
        {**m.model_dump(exclude={"person_id"}), "person": m.person_id} for m in payload.members
    ]
    try:
        application = services.kandas_application_submit(
            family=family, region=region, channel=payload.channel, applied_at=payload.applied_at, members=members,
            language=payload.language,
            checklist=payload.checklist, priority=payload.priority, by=request.auth,
        )
    except ValidationError as exc:
        raise _renamed(exc)
    return Status(201, application)


def _for_update(request: HttpRequest, application_id: int):
    return selectors.application_for_update(user=request.auth, pk=application_id)


@router.post("/applications/{application_id}/check", response=responses({200: ApplicationDetailOut}, 400, 403, 404, 422),
             operation_id="kandas_application_check", summary="Record the completeness check")
def application_check(request: HttpRequest, payload: CheckIn, application_id: int = APPLICATION_ID):
    """Complete: the file goes to the commission. Incomplete: it is returned with the missing documents."""
    return services.kandas_check_file(application=_for_update(request, application_id), complete=payload.complete,
                                      missing=payload.missing, note=payload.note, by=request.auth)


@router.post("/applications/{application_id}/resubmit",
             response=responses({200: ApplicationDetailOut}, 400, 403, 404, 422),
             operation_id="kandas_application_resubmit", summary="Hand in a returned file again")
def application_resubmit(request: HttpRequest, payload: ResubmitIn, application_id: int = APPLICATION_ID):
    return services.kandas_resubmit(application=_for_update(request, application_id), received=payload.received,
                                    by=request.auth)


@router.post("/applications/{application_id}/commission",
             response=responses({200: ApplicationDetailOut}, 400, 403, 404, 422),
             operation_id="kandas_application_commission", summary="Record the commission's recommendation")
def application_commission(request: HttpRequest, payload: CommissionIn, application_id: int = APPLICATION_ID):
    return services.kandas_commission(application=_for_update(request, application_id),
                                      recommend=payload.recommend, reasons=payload.reasons, by=request.auth)


@router.post("/applications/{application_id}/withdraw",
             response=responses({200: ApplicationDetailOut}, 400, 403, 404, 422),
             operation_id="kandas_application_withdraw", summary="Withdraw an application")
def application_withdraw(request: HttpRequest, payload: WithdrawIn, application_id: int = APPLICATION_ID):
    return services.kandas_withdraw(application=_for_update(request, application_id), reason=payload.reason,
                                    by=request.auth)


# --- Quota plans -------------------------------------------------------------------------------------------

@router.get("/quota-plans", response=responses({200: list[QuotaPlanOut]}, 403),
            operation_id="kandas_quota_plan_list", summary="Quota plans with their regional split")
def quota_plan_list(request: HttpRequest):
    return list(selectors.quota_plans(user=request.auth))


def _use(row) -> dict:
    return {"region": row.code, "quota": row.quota, "granted": row.granted, "pending": row.pending, "free": row.free}


@router.get("/quota-plans/{year}/{category}", response=responses({200: UtilisationOut}, 403, 404, 422),
            operation_id="kandas_quota_utilisation", summary="A plan and its utilisation per region")
def quota_utilisation(request: HttpRequest, category: CategoryCode, year: int = Path(..., ge=1991, le=2100)):
    use = selectors.quota_utilisation(year=year, category=category, user=request.auth)
    if use is None:
        raise Http404
    return {"plan": use.plan, "regions": [_use(r) for r in use.rows], "total": _use(use.total)}
