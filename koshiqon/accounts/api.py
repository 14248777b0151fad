"""`/api/v1/me`: who the caller is, so that a client can show or check what it may do."""

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from koshiqon.core.api import responses
from koshiqon.core.domain.permissions import ROLE_PERMISSIONS, Role, is_national

router = Router()


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    role: str = Field(description="Stable role code, e.g. regional_officer; empty when no role is assigned.")
    role_label: str = Field(description="The role's name in the request's language.")
    national: bool = Field(description="True when the role sees every region.")
    regions: list[str] = Field(description="ISO 3166-2:KZ codes of the regions the user works in.")
    permissions: list[str]


@router.get("/me", response=responses({200: MeOut}), operation_id="me_get", summary="Who am I",
            tags=["accounts"])
def me_get(request: HttpRequest):
    user = request.auth
    try:
        permissions = sorted(p.value for p in ROLE_PERMISSIONS[Role(user.role)])
    except ValueError:  # no role or an unknown one: deny by default
        permissions = []
    return {
        "id": user.pk,
        "username": user.get_username(),
        "full_name": user.get_full_name(),
        "role": user.role or "",
        "role_label": str(user.role_label()),
        "national": is_national(user.role),
        "regions": sorted(user.regions.values_list("code", flat=True)),
        "permissions": permissions,
    }
