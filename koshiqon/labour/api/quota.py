"""`/api/v1/labour/quota` and `/api/v1/labour/labour-force`: the foreign-labour quota of a year, its split
and utilisation by region and category, redistributions between regions, and the labour force it is a share of.

Thin: each operation calls the same selectors and services as the pages. Reading needs the right to see
labour data (officers and viewers: their regions; national officers and analysts: all); setting a quota,
the labour force and moving places need the quota right (national officers): 403 for anyone else.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from ninja import Path, Router, Schema, Status
from pydantic import ConfigDict, Field

from koshiqon.core.api import responses
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import require
from koshiqon.labour import exports
from koshiqon.labour.domain.quota_split import quota_categories
from koshiqon.labour.selectors import quota as selectors
from koshiqon.labour.services import quota as services

router = Router(tags=["labour quota"])

TEXT = r"^[^\x00-\x1f\x7f]*$"
YEAR = Path(..., ge=2007, le=2100, description="The quota year.")
RegionCode = Annotated[str, Field(pattern=r"^KZ-\d{2}$", description="ISO 3166-2:KZ code.")]
CategoryCode = Annotated[str, Field(pattern=r"^[0-9a-z+\-]{1,12}$")]
ComponentValue = Annotated[str, Field(max_length=20, pattern=TEXT)] | Annotated[int, Field(ge=0, le=10_000_000)]
XLSX_RESPONSE = {200: {"description": "An XLSX workbook", "content": {
    exports.XLSX: {"schema": {"type": "string", "format": "binary"}}}}}


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


class QuotaOut(Schema):
    year: int
    share: Decimal | None = Field(description="The quota's share of the labour force, as the act states it (0-1).")
    labour_force: int | None = Field(description="The labour force the quota was split on.")
    legal_act: str
    legal_number: str
    legal_date: date | None
    confidence: str = Field(description="H: read in the act; M: secondary source; L: unverified.")
    categories: list[str] = Field(description="The quota's categories in their official order.")
    places: int = Field(description="Places of every category and region.")
    used: int = Field(description="Places used by permits issued.")

    @staticmethod
    def resolve_categories(obj) -> list[str]:
        return list(quota_categories(obj.year))

    @staticmethod
    def resolve_places(obj) -> int:
        return getattr(obj, "places", None) or 0

    @staticmethod
    def resolve_used(obj) -> int:
        return getattr(obj, "used", None) or 0


class UtilisationOut(Schema):
    region: str = Field(description="ISO 3166-2:KZ code.")
    category: str
    places: int
    used: int
    left: int
    percent: Decimal = Field(description="Per cent of the places used, one decimal.")

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.code


class CategoryTotalOut(Schema):
    category: str
    places: int
    used: int
    left: int
    percent: Decimal


class QuotaDetailOut(QuotaOut):
    utilisation: list[UtilisationOut] = Field(description="By region (of the caller's scope) and category.")
    totals: list[CategoryTotalOut] = Field(description="The utilisation rows added up by category.")


class QuotaIn(Input):
    year: int = Field(ge=2007, le=2100)
    share: Decimal | None = Field(None, ge=0, le=1, decimal_places=6,
                                  description="The overall share of the labour force as the act states it (0.0025).")
    components: dict[CategoryCode, ComponentValue] = Field(
        max_length=10, description='Each category of the year: permits ("726" or 726) or a share ("0.35%").')
    legal_act: str = Field(min_length=1, max_length=300, pattern=TEXT)
    legal_number: str = Field("", max_length=60, pattern=TEXT)
    legal_date: date | None = None
    confidence: str = Field("M", pattern=r"^[HML]$")


class RedistributionIn(Input):
    category: CategoryCode
    from_region: RegionCode
    to_region: RegionCode
    places: int = Field(ge=1, le=10_000_000)
    legal_act: str = Field(min_length=1, max_length=300, pattern=TEXT)
    act_date: date
    reason: str = Field("", max_length=2000)


class RedistributionOut(Schema):
    id: int
    year: int = Field(validation_alias="quota.year")
    category: str
    from_region: str = Field(validation_alias="from_region.code")
    to_region: str = Field(validation_alias="to_region.code")
    places: int
    legal_act: str
    act_date: date
    reason: str
    by: str = Field(validation_alias="by.username")
    created_at: datetime


class LabourForceOut(Schema):
    region: str = Field(validation_alias="region.code")
    persons: int
    source: str


class LabourForceIn(Input):
    persons: dict[RegionCode, Annotated[int, Field(ge=0, le=100_000_000)]] = Field(
        min_length=1, max_length=40, description="The labour force of each region: ISO code to persons.")
    source: str = Field("", max_length=300, pattern=TEXT)


def _detail(request: HttpRequest, year: int):
    quota = selectors.quota_get(user=request.auth, year=year)
    quota.utilisation = selectors.utilisation(user=request.auth, year=year)
    quota.totals = selectors.utilisation_totals(quota.utilisation, year)
    return quota


@router.get("/quota", response=responses({200: list[QuotaOut]}, 403), operation_id="labour_quota_list",
            summary="Every year's foreign-labour quota")
def quota_list(request: HttpRequest):
    return list(selectors.quota_list(user=request.auth))


@router.get("/quota/{year}", response=responses({200: QuotaDetailOut}, 403, 404, 422),
            operation_id="labour_quota_get", summary="A year's quota with its utilisation by region and category")
def quota_get(request: HttpRequest, year: int = YEAR):
    return _detail(request, year)


@router.post("/quota", response=responses({201: QuotaDetailOut}, 400, 403, 422), operation_id="labour_quota_create",
             summary="Set a year's quota and split it by region in proportion to the labour force")
def quota_create(request: HttpRequest, payload: QuotaIn):
    quota = services.labour_quota_create(by=request.auth, **payload.dict())
    return Status(201, _detail(request, quota.year))


@router.get("/quota/{year}/utilisation.xlsx", response=responses({}, 403, 404, 422),
            operation_id="labour_quota_export", summary="The utilisation table as an XLSX workbook",
            openapi_extra={"responses": XLSX_RESPONSE})
def quota_export(request: HttpRequest, year: int = YEAR):
    quota = selectors.quota_get(user=request.auth, year=year)
    return exports.quota_workbook_response(quota=quota, rows=selectors.utilisation(user=request.auth, year=year))


@router.get("/quota/{year}/redistributions", response=responses({200: list[RedistributionOut]}, 403, 404, 422),
            operation_id="labour_redistribution_list", summary="Places moved between regions during the year")
def redistribution_list(request: HttpRequest, year: int = YEAR):
    selectors.quota_get(user=request.auth, year=year)
    return list(selectors.redistribution_list(user=request.auth, year=year))


@router.post("/quota/{year}/redistributions", response=responses({201: RedistributionOut}, 400, 403, 404, 422),
             operation_id="labour_quota_redistribute", summary="Move places of a category from one region to another")
def redistribute(request: HttpRequest, payload: RedistributionIn, year: int = YEAR):
    require(request.auth, Perm.LABOUR_QUOTA)
    selectors.quota_get(user=request.auth, year=year)
    move = services.quota_redistribute(year=year, by=request.auth, **payload.dict())
    return Status(201, move)


@router.get("/labour-force/{year}", response=responses({200: list[LabourForceOut]}, 403, 404, 422),
            operation_id="labour_force_get", summary="The labour force of a year by region")
def labour_force_get(request: HttpRequest, year: int = YEAR):
    return list(selectors.labour_force(user=request.auth, year=year))


@router.put("/labour-force/{year}", response=responses({200: list[LabourForceOut]}, 400, 403, 404, 422),
            operation_id="labour_force_set", summary="Record the labour force of regions for a year")
def labour_force_set(request: HttpRequest, payload: LabourForceIn, year: int = YEAR):
    services.labour_force_set(year=year, persons=payload.persons, source=payload.source, by=request.auth)
    return list(selectors.labour_force(user=request.auth, year=year))

