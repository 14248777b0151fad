"""`/api/v1/labour/household-permits`: permits of household labour migrants (work for a private person): 1 to 12
months, at most 5 in force per private employer, the advance income tax in MCI and tenge. Officers of the
region issue and revoke them; viewers read them; employer accounts (companies) have no access (403)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from koshiqon.core.api import ID_MAX, PageOut, PageParams, paginate, responses
from koshiqon.core.audit import persons_read
from koshiqon.labour import permit_exports
from koshiqon.labour.api.permit_schemas import PassportIn, PermitStatusCode, ReasonIn
from koshiqon.labour.selectors import household as selectors
from koshiqon.labour.services.household import household_permit_issue, household_permit_revoke
from koshiqon.people.selectors import person_queryset
from koshiqon.reference.selectors import country_by_code, region_by_code

router = Router(tags=["labour household permits"])

PERMIT_ID = Path(..., ge=1, le=ID_MAX, description="The household permit's id.")
TEXT = r"^[^\x00-\x1f\x7f]*$"
XLSX_RESPONSE = {200: {"description": "An XLSX workbook", "content": {
    permit_exports.XLSX: {"schema": {"type": "string", "format": "binary"}}}}}


class HouseholdFilters(PageParams):
    status: PermitStatusCode | None = None
    region: str = Field("", max_length=8, pattern=TEXT)
    employer: str = Field("", max_length=12, pattern=r"^\d*$", description="The private employer's IIN.")
    q: str = Field("", max_length=100, pattern=TEXT, description="A permit number or the worker's name.")


class HouseholdIn(Schema):
    model_config = ConfigDict(extra="forbid")

    employer_iin: str = Field(max_length=12, pattern=r"^\d{12}$", description="The private employer's IIN.")
    region: str = Field(max_length=8, pattern=TEXT, description="Region where the household is.")
    months: int = Field(ge=1, le=12)
    valid_from: date | None = Field(None, description="Default: today.")
    worker_id: int | None = Field(None, ge=1, le=ID_MAX)
    worker: PassportIn | None = None


class HouseholdOut(Schema):
    id: int
    number: str = Field(description="HP-<region digits>-<year>-<six digits>.")
    employer_person_id: int
    employer_name: str
    worker_id: int
    worker_name: str
    region: str
    months: int
    valid_from: date
    valid_until: date
    advance_tax_mci: int = Field(description="Advance income tax for all the months, in MCI.")
    advance_tax_tenge: int = Field(description="The same in tenge, at the MCI of the first day.")
    status: PermitStatusCode

    @staticmethod
    def resolve_employer_name(obj) -> str:
        return obj.employer_person.full_name

    @staticmethod
    def resolve_worker_name(obj) -> str:
        return obj.worker.full_name

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.code


class HouseholdPage(PageOut):
    items: list[HouseholdOut]


@router.get("/household-permits", response=responses({200: HouseholdPage}, 403, 422),
            operation_id="labour_household_list", summary="Household labour migrants' permits")
def household_list(request: HttpRequest, filters: Query[HouseholdFilters]):
    """Each worker and private employer named on the page is logged as read."""
    values = filters.model_dump(exclude={"limit", "offset"})
    page = paginate(selectors.household_list(user=request.auth, filters=values), filters)
    persons_read(request, [i for p in page["items"] for i in (p.worker_id, p.employer_person_id)], channel="api")
    return page


@router.get("/household-permits.xlsx", response=responses({}, 403, 422),
            operation_id="labour_household_export", summary="Household permits as an XLSX workbook",
            openapi_extra={"responses": XLSX_RESPONSE})
def household_export(request: HttpRequest, filters: Query[HouseholdFilters]):
    values = filters.model_dump(exclude={"limit", "offset"})
    content = permit_exports.household_xlsx(selectors.household_list(user=request.auth, filters=values),
                                            user=request.auth, channel="api", path=request.get_full_path())
    response = HttpResponse(content, content_type=permit_exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{permit_exports.filename("household-permits")}"'
    return response


@router.get("/household-permits/{permit_id}", response=responses({200: HouseholdOut}, 403, 404, 422),
            operation_id="labour_household_get", summary="One household permit")
def household_get(request: HttpRequest, permit_id: int = PERMIT_ID):
    return selectors.household_get(user=request.auth, pk=permit_id, channel="api", path=request.path)


@router.post("/household-permits", response=responses({201: HouseholdOut}, 400, 403, 422),
             operation_id="labour_household_issue", summary="Issue a household permit")
def household_issue(request: HttpRequest, payload: HouseholdIn):
    """Refused (422 on employer_iin) when the private employer already has 5 permits in force."""
    errors: dict[str, list[str]] = {}
    employer = selectors.private_employer_by_iin(user=request.auth, iin=payload.employer_iin)
    if employer is None:
        errors["employer_iin"] = [_("No person with this IIN is registered.")]
    region = region_by_code(payload.region)
    if region is None:
        errors["region"] = [_("Unknown region code: use an ISO 3166-2:KZ code such as KZ-55.")]
    worker = None
    if payload.worker_id is not None:
        worker = person_queryset(user=request.auth).filter(pk=payload.worker_id).first()
        if worker is None:
            errors["worker_id"] = [_("There is no such person in your regions.")]
    elif payload.worker is not None:
        worker = payload.worker.model_dump()
        worker["citizenship"] = country_by_code(worker["citizenship"])
    else:
        errors["worker"] = [_("Give the worker's passport.")]
    if errors:
        raise ValidationError(errors)
    try:
        permit = household_permit_issue(employer_person=employer, worker=worker, region=region,
                                        months=payload.months, valid_from=payload.valid_from, by=request.auth)
    except ValidationError as exc:
        raise ValidationError({"employer_iin" if k == "employer_person" else k: v
                               for k, v in exc.message_dict.items()})
    return Status(201, permit)


@router.post("/household-permits/{permit_id}/revoke", response=responses({200: HouseholdOut}, 400, 403, 404, 422),
             operation_id="labour_household_revoke", summary="Revoke a household permit")
def household_revoke(request: HttpRequest, payload: ReasonIn, permit_id: int = PERMIT_ID):
    permit = selectors.household_for_decision(user=request.auth, pk=permit_id)
    return household_permit_revoke(permit=permit, reason=payload.reason, by=request.auth)
