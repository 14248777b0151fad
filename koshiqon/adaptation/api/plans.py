"""`/api/v1/adaptation/plans`, `/referrals`, `/stays`: families' plans, deliveries, check-in and check-out,
outcomes. Thin: each operation calls the same selectors and services as the pages, so rights (403), scope
(404 outside the caller's centres or regions), validation (422 with fields: a full centre answers 422 on
`person_ids`), audit and read logging are the same by construction."""

from datetime import date
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from koshiqon.adaptation.domain.outcomes import CHECKPOINTS
from koshiqon.adaptation.domain.plans import referral_state
from koshiqon.adaptation.models import Housing, OutcomeSource, PlanStatus, Transport, WorkTrack
from koshiqon.adaptation.selectors import centres as centre_selectors
from koshiqon.adaptation.selectors import plans as selectors
from koshiqon.adaptation.services import outcomes, plans, stays
from koshiqon.core.api import ID_MAX, PageOut, PageParams, paginate, responses
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import require
from koshiqon.people.models import Person

router = Router()

PLAN_ID = Path(..., ge=1, le=ID_MAX, description="The plan's id.")
TEXT = r"^[^\x00-\x1f\x7f]*$"
Answer = Literal["yes", "no", "unknown"]
TransportCode = Literal[tuple(Transport.values)]  # type: ignore[valid-type]
WorkCode = Literal[tuple(WorkTrack.values)]  # type: ignore[valid-type]
HousingCode = Literal[tuple(Housing.values)]  # type: ignore[valid-type]
StatusCode = Literal[tuple(PlanStatus.values)]  # type: ignore[valid-type]
Months = Literal[CHECKPOINTS]  # type: ignore[valid-type]


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


# --- Shapes ------------------------------------------------------------------------------------------------

class PlanFilters(PageParams):
    centre: int | None = Field(None, ge=1, le=ID_MAX, description="A centre's id.")
    status: StatusCode | None = None
    overdue: bool | None = Field(None, description="true: only plans with an overdue referral.")
    q: str = Field("", max_length=100, pattern=TEXT, description="A plan number, or the family's or head's name.")


class PlanOut(Schema):
    id: int
    number: str = Field(description="AP-<year>-<six digits>.")
    family_id: int
    family_name: str
    application: str | None = Field(description="Number of the family's kandas application, if any.")
    centre_id: int
    region: str = Field(description="ISO 3166-2:KZ code of the centre's region.")
    arrival_date: date
    transport: TransportCode
    family_size: int
    financial_aid_tenge: int
    financial_aid_note: str
    work: WorkCode
    work_note: str
    housing: HousingCode
    housing_note: str
    status: StatusCode
    closed_on: date | None
    referred: int = Field(description="Referrals to services.")
    delivered: int = Field(description="Referrals delivered.")
    overdue: int = Field(description="Referrals past their due date and not delivered.")
    progress_percent: int = Field(description="Delivered over referred, whole percent rounded down.")

    @staticmethod
    def resolve_family_name(obj) -> str:
        return obj.family.name

    @staticmethod
    def resolve_application(obj) -> str | None:
        return obj.application.number if obj.application_id else None

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.centre.region.code

    @staticmethod
    def resolve_progress_percent(obj) -> int:
        return 100 * obj.delivered // obj.referred if obj.referred else 0


class ReferralOut(Schema):
    id: int
    service: str = Field(description="Code of the service in the catalogue.")
    person_id: int | None = Field(description="The member referred; null: the whole family.")
    referred_on: date
    due_on: date
    note: str
    delivered_on: date | None
    delivery_note: str
    state: Literal["delivered", "overdue", "due"] = Field(
        description="delivered; overdue: the due date passed and it is not delivered; due: not delivered yet.")

    @staticmethod
    def resolve_service(obj) -> str:
        return obj.service.code

    @staticmethod
    def resolve_state(obj) -> str:
        return referral_state(due_on=obj.due_on, delivered_on=obj.delivered_on, today=timezone.localdate()).value


class StayOut(Schema):
    id: int
    person_id: int
    centre_id: int
    check_in: date
    check_out: date | None


class OutcomeOut(Schema):
    person_id: int
    months: Months
    employed: Answer
    sector: str
    stayed_in_region: str


class PlanDetailOut(PlanOut):
    referrals: list[ReferralOut]
    stays: list[StayOut]
    outcomes: list[OutcomeOut]

    @staticmethod
    def resolve_referrals(obj) -> list:
        return list(obj.referrals.select_related("service").order_by("due_on", "id"))

    @staticmethod
    def resolve_stays(obj) -> list:
        return list(obj.stays.order_by("-check_in", "id"))

    @staticmethod
    def resolve_outcomes(obj) -> list:
        return list(obj.outcomes.order_by("person_id", "months"))


class PlanPage(PageOut):
    items: list[PlanOut]


class PlanIn(Input):
    family_id: int = Field(ge=1, le=ID_MAX)
    centre_id: int = Field(ge=1, le=ID_MAX)
    arrival_date: date
    transport: TransportCode
    work: WorkCode
    housing: HousingCode
    family_size: int | None = Field(None, ge=1, le=40, description="Default: the members moving, else the family.")
    financial_aid_tenge: int | None = Field(None, ge=0, le=100_000_000,
                                            description="Default: the support decided on the kandas application.")
    financial_aid_note: str = Field("", max_length=300, pattern=TEXT)
    work_note: str = Field("", max_length=300, pattern=TEXT)
    housing_note: str = Field("", max_length=300, pattern=TEXT)
    services: list[str] = Field(default_factory=list, max_length=40,
                                description="Catalogue codes the family is referred to, due on their usual term.")


class ReferralIn(Input):
    service: str = Field(max_length=40, description="Catalogue code of a service the centre gives.")
    person_id: int | None = Field(None, ge=1, le=ID_MAX, description="A member; null: the whole family.")
    due_on: date | None = Field(None, description="Default: the service's usual term.")
    note: str = Field("", max_length=300, pattern=TEXT)


class DeliveryIn(Input):
    delivered_on: date | None = Field(None, description="Default: today. Never in the future.")
    note: str = Field("", max_length=300, pattern=TEXT)


class CheckInIn(Input):
    person_ids: list[int] = Field(min_length=1, max_length=40, description="Members of the family checking in.")
    on: date | None = Field(None, description="Default: today. Never in the future, never before the arrival.")


class CheckOutIn(Input):
    on: date | None = Field(None, description="Default: today.")


class OutcomeIn(Input):
    person_id: int = Field(ge=1, le=ID_MAX)
    months: Months
    employed: Answer
    sector: str = Field("", max_length=1, pattern=r"^[A-Ua-u]?$", description="Section A-U; employed only.")
    stayed_in_region: Answer | Literal[""] = Field("", description="At 12 months only.")


class OutcomesIn(Input):
    rows: list[OutcomeIn] = Field(min_length=1, max_length=200)


class OutcomesOut(Schema):
    created: int
    updated: int
    unchanged: int


# --- Operations --------------------------------------------------------------------------------------------

def _detail(plan):
    return selectors.plan_with_progress(plan=plan)


@router.get("/plans", response=responses({200: PlanPage}, 403, 422),
            operation_id="adaptation_plan_list", summary="Plans the caller may see")
def plan_list(request: HttpRequest, filters: Query[PlanFilters]):
    """Newest arrival first. Each head of family listed is logged as read."""
    values = filters.model_dump(exclude={"limit", "offset"})
    page = paginate(selectors.plan_list(user=request.auth, filters=values), filters)
    selectors.log_heads(user=request.auth, plans=page["items"], channel="api", path=request.get_full_path())
    return page


@router.get("/plans/{plan_id}", response=responses({200: PlanDetailOut}, 403, 404, 422),
            operation_id="adaptation_plan_get", summary="One plan, with its referrals, stays and outcomes")
def plan_get(request: HttpRequest, plan_id: int = PLAN_ID):
    """The read is logged against every member of the family."""
    return _detail(selectors.plan_get(user=request.auth, pk=plan_id, channel="api", path=request.path))


@router.post("/plans", response=responses({201: PlanDetailOut}, 400, 403, 422),
             operation_id="adaptation_plan_create", summary="Make a family's plan at a centre")
def plan_create(request: HttpRequest, payload: PlanIn):
    require(request.auth, Perm.ADAPTATION_CHANGE)
    try:
        centre = centre_selectors.centre_get(user=request.auth, pk=payload.centre_id)
    except Http404:
        raise ValidationError({"centre_id": [_("There is no such centre of yours.")]})
    try:
        family = selectors.family_for_plan(user=request.auth, centre=centre, pk=payload.family_id)
    except Http404:
        raise ValidationError({"family_id": [_("There is no such family settling in the centre's region "
                                               "without an active plan.")]})
    values = payload.model_dump(exclude={"family_id", "centre_id"})
    try:
        plan = plans.plan_create(family=family, centre=centre, by=request.auth, **values)
    except ValidationError as exc:
        raise ValidationError({{"family": "family_id", "centre": "centre_id"}.get(k, k): v
                               for k, v in exc.message_dict.items()})
    return Status(201, _detail(plan))


@router.post("/plans/{plan_id}/referrals", response=responses({201: ReferralOut}, 400, 403, 404, 422),
             operation_id="adaptation_referral_add", summary="Refer the family to a service")
def referral_add(request: HttpRequest, payload: ReferralIn, plan_id: int = PLAN_ID):
    plan = selectors.plan_for_update(user=request.auth, pk=plan_id)
    person = Person.objects.filter(pk=payload.person_id).first() if payload.person_id else None
    if payload.person_id and person is None:
        raise ValidationError({"person_id": [_("This person is not a member of the family.")]})
    try:
        referral = plans.referral_add(plan=plan, service=payload.service, person=person, due_on=payload.due_on,
                                      note=payload.note, by=request.auth)
    except ValidationError as exc:
        raise ValidationError({{"person": "person_id"}.get(k, k): v for k, v in exc.message_dict.items()})
    return Status(201, referral)


@router.post("/referrals/{referral_id}/delivery", response=responses({200: ReferralOut}, 400, 403, 404, 422),
             operation_id="adaptation_referral_deliver", summary="Record that a service was delivered")
def referral_deliver(request: HttpRequest, payload: DeliveryIn,
                     referral_id: int = Path(..., ge=1, le=ID_MAX, description="The referral's id.")):
    referral = selectors.referral_for_update(user=request.auth, pk=referral_id)
    return plans.referral_deliver(referral=referral, delivered_on=payload.delivered_on, note=payload.note,
                                  by=request.auth)


@router.post("/plans/{plan_id}/stays", response=responses({201: list[StayOut]}, 400, 403, 404, 422),
             operation_id="adaptation_stay_check_in", summary="Check members of the family in at the centre")
def stay_check_in(request: HttpRequest, payload: CheckInIn, plan_id: int = PLAN_ID):
    """All or none: when the centre lacks the beds, 422 with the error on `person_ids`."""
    plan = selectors.plan_for_update(user=request.auth, pk=plan_id)
    persons = list(Person.objects.filter(pk__in=payload.person_ids))
    if len(persons) != len(set(payload.person_ids)):
        raise ValidationError({"person_ids": [_("This person is not a member of the family.")]})
    try:
        done = stays.stay_check_in(plan=plan, persons=persons, on=payload.on, by=request.auth)
    except ValidationError as exc:
        raise ValidationError({{"persons": "person_ids"}.get(k, k): v for k, v in exc.message_dict.items()})
    return Status(201, done)


@router.post("/stays/{stay_id}/check-out", response=responses({200: StayOut}, 400, 403, 404, 422),
             operation_id="adaptation_stay_check_out", summary="Check a person out of the centre")
def stay_check_out(request: HttpRequest, payload: CheckOutIn,
                   stay_id: int = Path(..., ge=1, le=ID_MAX, description="The stay's id.")):
    stay = selectors.stay_for_update(user=request.auth, pk=stay_id)
    return stays.stay_check_out(stays=[stay], on=payload.on, by=request.auth)[0]


@router.post("/plans/{plan_id}/outcomes", response=responses({200: OutcomesOut}, 400, 403, 404, 422),
             operation_id="adaptation_outcomes_record", summary="Record outcomes of the family's members")
def outcomes_record(request: HttpRequest, payload: OutcomesIn, plan_id: int = PLAN_ID):
    """All rows or none; a row for a member and checkpoint already recorded corrects it. Errors are named
    `rows.<index>.<field>`."""
    plan = selectors.plan_for_update(user=request.auth, pk=plan_id)
    rows = [{"plan": plan, "person": r.person_id, "months": r.months, "employed": r.employed, "sector": r.sector,
             "stayed_in_region": r.stayed_in_region} for r in payload.rows]
    try:
        result = outcomes.outcomes_record_many(rows=rows, by=request.auth, source=OutcomeSource.API)
    except ValidationError as exc:
        raise ValidationError({k.replace(".person", ".person_id") if k.endswith(".person") else k: v
                               for k, v in exc.message_dict.items()})
    return {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
