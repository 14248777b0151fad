"""Writes on users and API tokens. Each one audited in its own transaction."""

import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiqon.accounts.models import ApiToken, User
from koshiqon.core.audit import audit_record, snapshot
from koshiqon.core.domain.permissions import Role
from koshiqon.reference.models import Region

TOKEN_PREFIX = "kq_"  # noqa: S105 (a prefix that marks our tokens, not a secret)


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    region_codes: list[str] | None = None,
    first_name: str = "",
    last_name: str = "",
    by,
    check_password: bool = True,
) -> User:
    try:
        Role(role)
    except ValueError:
        raise ValidationError({"role": [_("Unknown role.")]})
    # Administrators work in Django's admin site (reference tables); no other role enters it.
    user = User(
        username=username, role=role, first_name=first_name, last_name=last_name,
        is_staff=role == Role.ADMINISTRATOR,
    )
    if check_password:
        validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    regions = list(Region.objects.filter(code__in=region_codes or []))
    if len(regions) != len(set(region_codes or [])):
        raise ValidationError({"regions": [_("Unknown region code.")]})
    user.regions.set(regions)
    after = snapshot(user, ["username", "role", "first_name", "last_name", "is_active", "is_staff"])
    after["regions"] = sorted(r.code for r in regions)
    audit_record(by=by, action="accounts.user.create", obj=user, after=after)
    return user


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str, by) -> tuple[ApiToken, str]:
    """Issue a token; the raw value is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[len(TOKEN_PREFIX):][:8], key_hash=_hash(raw))
    audit_record(by=by, action="accounts.token.create", obj=token, after={"user": user.username, "name": name})
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by, reason: str = "") -> ApiToken:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(by=by, action="accounts.token.revoke", obj=token, reason=reason)
    return token


def api_token_user(raw: str) -> User | None:
    """The active user behind a raw token, or None. Not audited: it is a read, and runs on every API call."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
