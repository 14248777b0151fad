"""`/api/v1/labour/employers`: the employer registry, its staff by category and the accounts acting for it.

Officers keep the registry of their regions (national officers: all); viewers read it; an employer account
reads only the employers it acts for (404 for any other) and may update their staff counts.
"""

from datetime import date

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Path, Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from koshiqon.core.api import ID_MAX, PageOut, PageParams, paginate, responses
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import can
from koshiqon.labour.domain.sectors import sector_name
from koshiqon.labour.selectors import employers as selectors
from koshiqon.labour.services import employers as services

router = Router(tags=["labour employers"])

TEXT = r"^[^\x00-\x1f\x7f]*$"
EMPLOYER_ID = Path(..., ge=1, le=ID_MAX, description="The employer's id.")
StaffCategory = Path(..., pattern=r"^[1-4]$", description="Staff category 1 to 4.")


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


class EmployerFilters(PageParams):
    q: str = Field("", max_length=100, pattern=TEXT, description="Part of the name, or the start of the BIN.")
    region: str = Field("", max_length=8, pattern=r"^(KZ-\d{2})?$")
    sector: str = Field("", max_length=1, pattern=r"^[A-U]?$", description="OKED section letter.")


class StaffOut(Schema):
    category: str
    citizens: int
    foreigners: int
    ict_transferees: int
    as_of: date


class EmployerOut(Schema):
    id: int
    bin: str
    name: str
    region: str = Field(validation_alias="region.code", description="ISO 3166-2:KZ code.")
    sector: str = Field(description="OKED section letter, A to U.")
    sector_name: str
    address: str

    @staticmethod
    def resolve_sector_name(obj) -> str:
        return sector_name(obj.sector, get_language())


class EmployerDetailOut(EmployerOut):
    staff: list[StaffOut]
    accounts: list[str] = Field(description="User names of the employer accounts acting for it (officers only).")

    @staticmethod
    def resolve_staff(obj) -> list:
        return list(selectors.staff_rows(obj))

    @staticmethod
    def resolve_accounts(obj, context) -> list[str]:
        user = context["request"].auth
        if not can(user, Perm.LABOUR_VIEW):
            return []
        return [u.username for u in selectors.employer_accounts(obj)]


class EmployerPage(PageOut):
    items: list[EmployerOut]


class EmployerIn(Input):
    bin: str = Field(max_length=20, pattern=TEXT, description="12 digits, check digit verified.")
    name: str = Field(max_length=300, pattern=TEXT)
    region: str = Field(max_length=8, pattern=TEXT, description="ISO 3166-2:KZ code.")
    sector: str = Field(max_length=1, pattern=TEXT, description="OKED section letter, A to U.")
    address: str = Field("", max_length=300, pattern=TEXT)


class EmployerPatch(Input):
    bin: str | None = Field(None, max_length=20, pattern=TEXT)
    name: str | None = Field(None, max_length=300, pattern=TEXT)
    region: str | None = Field(None, max_length=8, pattern=TEXT)
    sector: str | None = Field(None, max_length=1, pattern=TEXT)
    address: str | None = Field(None, max_length=300, pattern=TEXT)


class StaffIn(Input):
    citizens: int = Field(ge=0, le=10_000_000)
    foreigners: int = Field(ge=0, le=10_000_000)
    ict_transferees: int = Field(0, ge=0, le=10_000_000)
    as_of: date | None = Field(None, description="Default: today.")


class AccountIn(Input):
    username: str = Field(min_length=1, max_length=150, pattern=TEXT)


@router.get("/employers", response=responses({200: EmployerPage}, 403, 422), operation_id="labour_employer_list",
            summary="Employers the caller may see")
def employer_list(request: HttpRequest, filters: Query[EmployerFilters]):
    qs = selectors.employer_list(user=request.auth, q=filters.q, region=filters.region, sector=filters.sector)
    return paginate(qs, filters)


@router.get("/employers/{employer_id}", response=responses({200: EmployerDetailOut}, 403, 404, 422),
            operation_id="labour_employer_get", summary="An employer with its staff by category")
def employer_get(request: HttpRequest, employer_id: int = EMPLOYER_ID):
    return selectors.employer_get(user=request.auth, pk=employer_id)


@router.post("/employers", response=responses({201: EmployerDetailOut}, 400, 403, 422),
             operation_id="labour_employer_create", summary="Register an employer")
def employer_create(request: HttpRequest, payload: EmployerIn):
    return Status(201, services.employer_create(by=request.auth, **payload.dict()))


@router.patch("/employers/{employer_id}", response=responses({200: EmployerDetailOut}, 400, 403, 404, 422),
              operation_id="labour_employer_update", summary="Change an employer's registration data")
def employer_update(request: HttpRequest, payload: EmployerPatch, employer_id: int = EMPLOYER_ID):
    employer = selectors.employer_get(user=request.auth, pk=employer_id)
    return services.employer_update(employer=employer, by=request.auth, **payload.dict(exclude_unset=True))


@router.put("/employers/{employer_id}/staff/{category}", response=responses({200: StaffOut}, 400, 403, 404, 422),
            operation_id="labour_employer_staff_set", summary="Record the staff of one category")
def staff_set(request: HttpRequest, payload: StaffIn, employer_id: int = EMPLOYER_ID, category: str = StaffCategory):
    employer = selectors.employer_get(user=request.auth, pk=employer_id)
    return services.employer_staff_set(employer=employer, category=category, by=request.auth, **payload.dict())


@router.post("/employers/{employer_id}/accounts", response=responses({200: EmployerDetailOut}, 400, 403, 404, 422),
             operation_id="labour_employer_account_link", summary="Let an employer account act for the employer")
def account_link(request: HttpRequest, payload: AccountIn, employer_id: int = EMPLOYER_ID):
    employer = selectors.employer_get(user=request.auth, pk=employer_id)
    services.employer_account_link(employer=employer, username=payload.username, by=request.auth)
    return employer


@router.delete("/employers/{employer_id}/accounts/{username}",
               response=responses({200: EmployerDetailOut}, 403, 404, 422),
               operation_id="labour_employer_account_unlink", summary="Stop an account acting for the employer")
def account_unlink(request: HttpRequest, employer_id: int = EMPLOYER_ID,
                   username: str = Path(..., max_length=150, pattern=r"^[\w.@+-]+$")):
    employer = selectors.employer_get(user=request.auth, pk=employer_id)
    services.employer_account_unlink(employer=employer, username=username, by=request.auth)
    return employer
