"""Deny by default: checks that services, selectors, pages and the API share.

`require` answers 403 (the role may never do this); objects outside the user's regions are simply not in
the selectors' querysets, so they answer 404.
"""

from django.core.exceptions import PermissionDenied

from koshiqon.core.domain.permissions import Perm, is_national, role_has


def can(user, perm: Perm) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return role_has(getattr(user, "role", None), perm)


def require(user, perm: Perm) -> None:
    if not can(user, perm):
        raise PermissionDenied(perm.value)


def region_ids_in_scope(user) -> set[int] | None:
    """The region ids whose records the user may read, or None when the user is national (all regions)."""
    if is_national(getattr(user, "role", None)):
        return None
    return set(user.regions.values_list("id", flat=True))
