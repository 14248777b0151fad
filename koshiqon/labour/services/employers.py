"""Writes on the employer registry: register and edit an employer, record its staff by category, and link the
employer accounts that act for it.

Who: officers keeping the labour registers of their regions (LABOUR_EXCHANGE; national officers everywhere)
register and edit employers and link accounts. Staff counts are kept by those officers and by the employer
itself: an employer account (LABOUR_APPLY) may update the staff of the employers it is linked to, and nothing
else (ADR 0009). The BIN is checked with its check digit (the rules of Law No. 223-III of 12 Jan 2007).
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiqon.core.audit import audit_record, snapshot
from koshiqon.core.domain.permissions import Perm, Role
from koshiqon.core.permissions import can, region_ids_in_scope, require
from koshiqon.labour.domain.sectors import is_sector
from koshiqon.labour.models import Employer, EmployerStaff
from koshiqon.people.domain.iin import bin_problem, normalize_number
from koshiqon.people.messages import BIN_MESSAGES
from koshiqon.reference.models import Region

STAFF_CATEGORIES = ("1", "2", "3", "4")
MAX_STAFF = 10_000_000


def bin_errors(value: str) -> list[str]:
    """The BIN's problem in the user's language (length, digits, type, month, check digit), or none."""
    problem = bin_problem(value)
    return [str(BIN_MESSAGES[problem])] if problem else []


def _in_scope(user, region: Region) -> bool:
    scope = region_ids_in_scope(user)
    return scope is None or region.pk in scope


def _clean(*, bin_value: str, name: str, region_code: str, sector: str, address: str, user,
           employer: Employer | None) -> tuple[dict, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    number = normalize_number(bin_value or "")
    if not number:
        errors["bin"] = [_("This field is required.")]
    elif messages := bin_errors(number):
        errors["bin"] = messages
    elif Employer.objects.filter(bin=number).exclude(pk=getattr(employer, "pk", None)).exists():
        errors["bin"] = [_("An employer with this BIN is already registered.")]
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("This field is required.")]
    elif len(name) > 300:
        errors["name"] = [_("Ensure this value has at most %(max)s characters.") % {"max": 300}]
    region = Region.objects.filter(code=(region_code or "").strip().upper()).first()
    if region is None:
        errors["region"] = [_("Choose a region.")]
    elif region.valid_to is not None and region.valid_to < timezone.localdate():
        errors["region"] = [_("This region no longer exists: choose the region as it is today.")]
    elif not _in_scope(user, region):
        errors["region"] = [_("You may register employers of your own regions only.")]
    sector = (sector or "").strip().upper()
    if not is_sector(sector):
        errors["sector"] = [_("Choose the section of the classifier of economic activities (A to U).")]
    address = (address or "").strip()
    if len(address) > 300:
        errors["address"] = [_("Ensure this value has at most %(max)s characters.") % {"max": 300}]
    return {"bin": number, "name": name, "region": region, "sector": sector, "address": address}, errors


@transaction.atomic
def employer_create(*, bin: str, name: str, region: str, sector: str, address: str = "", by) -> Employer:
    """Register an employer: a valid, unused BIN, a name, a region (the officer's own) and an OKED section."""
    require(by, Perm.LABOUR_EXCHANGE)
    values, errors = _clean(bin_value=bin, name=name, region_code=region, sector=sector, address=address, user=by,
                            employer=None)
    if errors:
        raise ValidationError(errors)
    employer = Employer(**values)
    employer.full_clean()
    employer.save()
    audit_record(by=by, action="labour.employer.create", obj=employer, region_code=employer.region.code,
                 after=snapshot(employer))
    return employer


@transaction.atomic
def employer_update(*, employer: Employer, by, **changes) -> Employer:
    """Change an employer's BIN, name, region, sector or address (an officer of its region, and of the new
    region when it moves)."""
    require(by, Perm.LABOUR_EXCHANGE)
    if not _in_scope(by, employer.region):
        raise PermissionDenied(Perm.LABOUR_EXCHANGE.value)
    unknown = set(changes) - {"bin", "name", "region", "sector", "address"}
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(sorted(unknown))}")
    current = {"bin": employer.bin, "name": employer.name, "region": employer.region.code, "sector": employer.sector,
               "address": employer.address}
    wanted = current | {k: v for k, v in changes.items() if v is not None}
    values, errors = _clean(bin_value=wanted["bin"], name=wanted["name"], region_code=wanted["region"],
                            sector=wanted["sector"], address=wanted["address"], user=by, employer=employer)
    if errors:
        raise ValidationError(errors)
    before = snapshot(employer)
    for name, value in values.items():
        setattr(employer, name, value)
    employer.full_clean()
    employer.save()
    after = snapshot(employer)
    changed = {k: v for k, v in after.items() if before.get(k) != v and k != "updated_at"}
    if changed:
        audit_record(by=by, action="labour.employer.update", obj=employer, region_code=employer.region.code,
                     before={k: before[k] for k in changed}, after=changed)
    return employer


def may_set_staff(user, employer: Employer) -> bool:
    """An officer keeping the registers of the employer's region, or an account acting for the employer."""
    if can(user, Perm.LABOUR_EXCHANGE) and _in_scope(user, employer.region):
        return True
    return can(user, Perm.LABOUR_APPLY) and employer.users.filter(pk=user.pk).exists()


@transaction.atomic
def employer_staff_set(
    *, employer: Employer, category: str, citizens: int, foreigners: int, ict_transferees: int = 0,
    as_of: date | None = None, by,
) -> EmployerStaff:
    """Record the employer's staff of one category (1 to 4) on a date: citizens of Kazakhstan and foreigners,
    of whom intra-corporate transferees. The permit decision's citizen-share rule reads these counts."""
    if not may_set_staff(by, employer):
        raise PermissionDenied(Perm.LABOUR_APPLY.value)
    today = timezone.localdate()
    as_of = as_of or today
    errors: dict[str, list[str]] = {}
    if category not in STAFF_CATEGORIES:
        errors["category"] = [_("Choose a category from 1 to 4.")]
    counts = {"citizens": citizens, "foreigners": foreigners, "ict_transferees": ict_transferees}
    for name, value in counts.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_STAFF:
            errors[name] = [_("Enter a whole number, 0 or more.")]
    if "ict_transferees" not in errors and "foreigners" not in errors and ict_transferees > foreigners:
        errors["ict_transferees"] = [_("Intra-corporate transferees are counted among the foreigners: there cannot "
                                       "be more of them than foreigners.")]
    if as_of > today:
        errors["as_of"] = [_("The date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    row = EmployerStaff.objects.select_for_update().filter(employer=employer, category=category).first()
    before = snapshot(row, list(counts) + ["as_of"]) if row else None
    if row is None:
        row = EmployerStaff(employer=employer, category=category, as_of=as_of, **counts)
    else:
        for name, value in counts.items():
            setattr(row, name, value)
        row.as_of = as_of
    row.save()
    audit_record(by=by, action="labour.employer.staff", obj=employer, region_code=employer.region.code,
                 before={"category": category, **before} if before else None,
                 after={"category": category, **snapshot(row, list(counts) + ["as_of"])})
    return row


@transaction.atomic
def employer_account_link(*, employer: Employer, username: str, by):
    """Let an employer account act for the employer (it then sees the employer and files its applications)."""
    require(by, Perm.LABOUR_EXCHANGE)
    if not _in_scope(by, employer.region):
        raise PermissionDenied(Perm.LABOUR_EXCHANGE.value)
    account = get_user_model().objects.filter(username=(username or "").strip(), is_active=True).first()
    if account is None:
        raise ValidationError({"username": [_("No active account has this user name.")]})
    if account.role != Role.EMPLOYER:
        raise ValidationError({"username": [_("Only an employer account can act for an employer.")]})
    if not employer.users.filter(pk=account.pk).exists():
        employer.users.add(account)
        audit_record(by=by, action="labour.employer.link", obj=employer, region_code=employer.region.code,
                     after={"account": account.get_username()})
    return account


@transaction.atomic
def employer_account_unlink(*, employer: Employer, username: str, by) -> None:
    require(by, Perm.LABOUR_EXCHANGE)
    if not _in_scope(by, employer.region):
        raise PermissionDenied(Perm.LABOUR_EXCHANGE.value)
    account = employer.users.filter(username=username).first()
    if account is None:
        raise ValidationError({"username": [_("This account does not act for the employer.")]})
    employer.users.remove(account)
    audit_record(by=by, action="labour.employer.unlink", obj=employer, region_code=employer.region.code,
                 before={"account": account.get_username()})
