"""`/api/v1/adaptation/centres` and `/api/v1/adaptation/services`: centres with their beds, occupancy and
services, and the catalogue. Thin: the same selectors as the pages, so the scope is the same (centre staff
their centres, regional roles their regions, national roles all; 404 outside)."""

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Router, Schema
from pydantic import Field

from koshiqon.adaptation.selectors import centres as selectors
from koshiqon.core.api import ID_MAX, responses
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import require

router = Router()

CENTRE_ID = Path(..., ge=1, le=ID_MAX, description="The centre's id.")


class ServiceOut(Schema):
    code: str
    group: str
    name_kk: str
    name_ru: str
    name_en: str
    due_days: int = Field(description="Days after arrival by which a referral is due unless set otherwise.")
    is_course: bool


class OfferOut(Schema):
    service: str = Field(description="Code of the service in the catalogue.")
    places: int | None = Field(description="Places in each course (courses only).")

    @staticmethod
    def resolve_service(obj) -> str:
        return obj.service.code


class CentreOut(Schema):
    id: int
    name: str
    region: str = Field(description="ISO 3166-2:KZ code.")
    address: str
    phone: str
    beds: int
    occupied: int = Field(description="Persons staying today.")
    free: int = Field(description="Beds free today.")
    opened_on: date
    closed_on: date | None
    max_stay_days: int | None

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.code


class CentreDetailOut(CentreOut):
    services: list[OfferOut]

    @staticmethod
    def resolve_services(obj) -> list:
        return list(selectors.centre_offers(centre=obj))


def _with_occupancy(centres: list) -> list:
    occupancy = selectors.occupancy_on(centres=centres, on=timezone.localdate())
    for centre in centres:
        centre.occupied, centre.free = occupancy[centre.pk].occupied, occupancy[centre.pk].free
    return centres


@router.get("/services", response=responses({200: list[ServiceOut]}, 403),
            operation_id="adaptation_service_list", summary="The catalogue of services")
def service_list(request: HttpRequest):
    require(request.auth, Perm.ADAPTATION_VIEW)
    return list(selectors.catalogue())


@router.get("/centres", response=responses({200: list[CentreOut]}, 403),
            operation_id="adaptation_centre_list", summary="Centres the caller may see, with today's occupancy")
def centre_list(request: HttpRequest):
    return _with_occupancy(list(selectors.centre_list(user=request.auth)))


@router.get("/centres/{centre_id}", response=responses({200: CentreDetailOut}, 403, 404, 422),
            operation_id="adaptation_centre_get", summary="One centre, with its services")
def centre_get(request: HttpRequest, centre_id: int = CENTRE_ID):
    return _with_occupancy([selectors.centre_get(user=request.auth, pk=centre_id)])[0]
