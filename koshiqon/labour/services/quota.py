"""Writes on the foreign-labour quota: the labour force by region (input data), a year's quota with its split
by region and category, and redistributions between regions (the shipped 2009 and 2026 quotas are loaded by
`services/quota_data.py`).

The rules (which categories a year has, the largest-remainder split, when a redistribution is refused) are in
`labour/domain/quota_split.py`; see ADR 0009. Places are used by permits (the permit decision locks the
allocation and raises `used`, `services/permit_decision.py`); nothing here touches `used`.
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koshiqon.core.audit import audit_record, snapshot
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import require
from koshiqon.labour.domain.quota_split import (
    Component,
    ComponentError,
    national_places,
    parse_component,
    quota_categories,
    redistribution_problems,
    regional_split,
)
from koshiqon.labour.models import LabourForce, LabourQuota, QuotaAllocation, QuotaRedistribution
from koshiqon.labour.selectors.quota import region_exists_in
from koshiqon.reference.models import Region

CONFIDENCES = ("H", "M", "L")
YEARS = (2007, 2100)
# The examples are outside the messages: a bare per cent sign in a message would read as a format directive.
COMPONENT_MESSAGES = {
    "empty": gettext_lazy("Give the places of this category: a number of permits such as %(permits)s, or a share "
                          "of the labour force such as %(share)s."),
    "format": gettext_lazy("Write a whole number of permits such as %(permits)s, or a share of the labour force "
                           "with a per cent sign such as %(share)s."),
    "share": gettext_lazy("A share of the labour force is between %(low)s and %(high)s."),
    "negative": gettext_lazy("A number of permits cannot be negative."),
}
EXAMPLES = {"permits": "726", "share": "0.35%", "low": "0%", "high": "100%"}


def _year_error(year: Any) -> str | None:
    if not isinstance(year, int) or not YEARS[0] <= year <= YEARS[1]:
        return _("Enter a year between %(first)s and %(last)s.") % {"first": YEARS[0], "last": YEARS[1]}
    return None


# --- Labour force -------------------------------------------------------------------------------------------

@transaction.atomic
def labour_force_set(*, year: int, persons: Mapping[str, int], source: str = "", by) -> list[LabourForce]:
    """Record the labour force of regions (ISO code: persons) for a year. Each region must have existed that
    year. Refused once the year's quota is set: the quota was split on the figures then known, and changing
    them afterwards would make the split unexplainable."""
    require(by, Perm.LABOUR_QUOTA)
    errors: dict[str, list[str]] = {}
    if message := _year_error(year):
        errors["year"] = [message]
    elif LabourQuota.objects.filter(year=year).exists():
        errors["year"] = [_("The quota of %(year)s is already set on these figures: they can no longer change.")
                          % {"year": year}]
    if not persons:
        errors["persons"] = [_("Give the labour force of at least one region.")]
    regions = {r.code: r for r in Region.objects.filter(code__in=list(persons))}
    for code, count in sorted(persons.items()):
        region = regions.get(code)
        if region is None:
            errors.setdefault(f"persons.{code}", []).append(_("Unknown region code."))
        elif "year" not in errors and not region_exists_in(region, year):
            errors.setdefault(f"persons.{code}", []).append(
                _("This region did not exist in %(year)s.") % {"year": year})
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            errors.setdefault(f"persons.{code}", []).append(_("Enter a whole number of persons, 0 or more."))
    if errors:
        raise ValidationError(errors)
    out, changes = [], {}
    for code, count in sorted(persons.items()):
        row = LabourForce.objects.filter(year=year, region=regions[code]).first()
        before = row.persons if row else None
        if row is None:
            row = LabourForce.objects.create(year=year, region=regions[code], persons=count, source=source.strip())
        elif row.persons != count or (source and row.source != source.strip()):
            row.persons, row.source = count, source.strip() or row.source
            row.save(update_fields=["persons", "source"])
        if before != count:
            changes[code] = {"before": before, "after": count}
        out.append(row)
    if changes:
        audit_record(by=by, action="labour.labour_force.set", object_type="labour.labourforce", object_id=str(year),
                     after={"year": year, "changes": changes, "source": source.strip()})
    return out


# --- The quota of a year -----------------------------------------------------------------------------------

def _components(year: int, raw: Mapping[str, Any], errors: dict[str, list[str]]) -> dict[str, Component]:
    try:
        categories = quota_categories(year)
    except LookupError:
        return {}
    out: dict[str, Component] = {}
    for category in categories:
        value = raw.get(category)
        if isinstance(value, Component):
            out[category] = value
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        try:
            out[category] = parse_component(value if isinstance(value, str) else "")
        except ComponentError as exc:
            errors.setdefault(f"components.{category}", []).append(str(COMPONENT_MESSAGES[exc.code]) % EXAMPLES)
    for category in sorted(set(raw) - set(categories)):
        errors.setdefault(f"components.{category}", []).append(
            _("The quota of %(year)s has no category %(category)s; its categories are %(categories)s.")
            % {"year": year, "category": category, "categories": ", ".join(categories)})
    return out


@transaction.atomic
def labour_quota_create(
    *,
    year: int,
    components: Mapping[str, Any],
    share: Decimal | None = None,
    legal_act: str,
    legal_number: str = "",
    legal_date: date | None = None,
    confidence: str = "M",
    labour_force: Mapping[str, int] | None = None,
    by,
) -> LabourQuota:
    """Set the foreign-labour quota of a year and split it by region.

    `components` gives each category of the year (see `quota_categories`) as a number of permits or a share
    of the labour force ("0.35%", or a `Component`); `share` is the quota's overall share as the act states
    it. The labour force of the year must be recorded first: each component's national places are split
    over the regions in proportion to it (largest remainder, exact sum), and every region gets an
    allocation of every category, possibly of 0 places, so that places can later be moved to it.
    `labour_force` (ISO code: persons), when given, is recorded first, in the same transaction."""
    require(by, Perm.LABOUR_QUOTA)
    if labour_force and isinstance(year, int) and not LabourQuota.objects.filter(year=year).exists():
        labour_force_set(year=year, persons=labour_force, by=by)
    return quota_create_checked(year=year, components=components, share=share, legal_act=legal_act,
                         legal_number=legal_number, legal_date=legal_date, confidence=confidence, by=by)


def quota_create_checked(*, year, components, share, legal_act, legal_number, legal_date, confidence, by) -> LabourQuota:
    """The checks and writes of `labour_quota_create`, in the caller's transaction, without the right's check:
    for the data loader, which acts as the system (a label, not a user)."""
    errors: dict[str, list[str]] = {}
    if message := _year_error(year):
        errors["year"] = [message]
    elif LabourQuota.objects.filter(year=year).exists():
        errors["year"] = [_("The quota of %(year)s is already set; move places between regions instead.")
                          % {"year": year}]
    parsed = _components(year, components, errors) if "year" not in errors else {}
    force = dict(LabourForce.objects.filter(year=year).values_list("region__code", "persons")) if "year" not in errors else {}
    if "year" not in errors and not force:
        errors.setdefault("year", []).append(
            _("Record the labour force of %(year)s by region first: the quota is split in proportion to it.")
            % {"year": year})
    elif force and not sum(force.values()):
        errors.setdefault("year", []).append(_("The labour force of %(year)s adds up to 0.") % {"year": year})
    if share is not None and not Decimal(0) <= share <= Decimal(1):
        errors.setdefault("share", []).append(str(COMPONENT_MESSAGES["share"]) % EXAMPLES)
    if not (legal_act or "").strip():
        errors.setdefault("legal_act", []).append(_("Name the act that sets the quota."))
    if confidence not in CONFIDENCES:
        errors.setdefault("confidence", []).append(_("Confidence must be H, M or L."))
    if errors:
        raise ValidationError(errors)
    total_force = sum(force.values())
    national = {category: national_places(component, total_force) for category, component in parsed.items()}
    split = regional_split(national, force)
    quota = LabourQuota.objects.create(
        year=year, share=share, labour_force=total_force, legal_act=legal_act.strip(),
        legal_number=(legal_number or "").strip(), legal_date=legal_date, confidence=confidence,
    )
    regions = dict(Region.objects.filter(code__in=list(force)).values_list("code", "id"))
    QuotaAllocation.objects.bulk_create([
        QuotaAllocation(quota=quota, region_id=regions[code], category=category, places=places)
        for category, by_region in split.items() for code, places in sorted(by_region.items())
    ])
    audit_record(by=by, action="labour.quota.create", obj=quota, after=snapshot(quota) | {
        "national": national,
        "components": {c: (str(v.share) if v.share is not None else v.permits) for c, v in parsed.items()},
        "regional": split,
    })
    return quota


# --- Redistribution ---------------------------------------------------------------------------------------

def _region(code_or_region) -> Region | None:
    if isinstance(code_or_region, Region):
        return code_or_region
    return Region.objects.filter(code=str(code_or_region or "")).first()


@transaction.atomic
def quota_redistribute(
    *,
    year: int,
    category: str,
    from_region,
    to_region,
    places: int,
    legal_act: str,
    act_date: date | None,
    reason: str = "",
    by,
) -> QuotaRedistribution:
    """Move `places` places of a category from one region to another within the year's quota, under a
    legal act (its name and date) and with a reason.

    Both allocations are locked in the order of their ids, whatever the direction, so two opposite moves at
    the same moment queue instead of deadlocking; the giving region's unused places are read under the lock,
    and the move is refused when they are fewer than asked."""
    require(by, Perm.LABOUR_QUOTA)
    errors: dict[str, list[str]] = {}
    quota = LabourQuota.objects.filter(year=year).first() if isinstance(year, int) else None
    if quota is None:
        errors["year"] = [_("No quota is set for this year.")]
    source, target = _region(from_region), _region(to_region)
    if source is None:
        errors["from_region"] = [_("Unknown region code.")]
    if target is None:
        errors["to_region"] = [_("Unknown region code.")]
    if not (legal_act or "").strip():
        errors["legal_act"] = [_("Name the act that moves the places.")]
    if act_date is None:
        errors["act_date"] = [_("Give the date of the act.")]
    if not isinstance(places, int) or isinstance(places, bool) or places < 1:
        errors["places"] = [_("Move at least one place.")]
    allocations: dict[int, QuotaAllocation] = {}
    if quota is not None and source is not None and target is not None:
        if category not in set(quota.allocations.values_list("category", flat=True)):
            errors["category"] = [_("The quota of %(year)s has no category %(category)s.")
                                  % {"year": year, "category": category}]
        elif source == target:
            errors["to_region"] = [_("Choose a region other than the one giving the places.")]
        else:
            giving = quota.allocations.filter(region=source, category=category).first()
            receiving, _created = QuotaAllocation.objects.get_or_create(
                quota=quota, region=target, category=category, defaults={"places": 0})
            ids = sorted(a.pk for a in (giving, receiving) if a is not None)
            allocations = {a.pk: a for a in QuotaAllocation.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
            locked_giving = allocations.get(giving.pk) if giving is not None else None
            left = locked_giving.left if locked_giving is not None else 0
            wanted = places if isinstance(places, int) and not isinstance(places, bool) else 0
            if "not_enough" in redistribution_problems(places=wanted, from_region=source.code,
                                                       to_region=target.code, from_left=left):
                errors.setdefault("places", []).append(
                    _("%(region)s has only %(left)s unused places of category %(category)s.")
                    % {"region": source.name, "left": left, "category": category})
    if errors:
        raise ValidationError(errors)
    assert quota is not None and source is not None and target is not None
    giving = next(a for a in allocations.values() if a.region_id == source.pk)
    receiving = next(a for a in allocations.values() if a.region_id == target.pk)
    before = {source.code: giving.places, target.code: receiving.places}
    giving.places -= places
    receiving.places += places
    giving.save(update_fields=["places"])
    receiving.save(update_fields=["places"])
    move = QuotaRedistribution.objects.create(
        quota=quota, category=category, from_region=source, to_region=target, places=places,
        legal_act=legal_act.strip(), act_date=act_date, reason=(reason or "").strip(), by=by,
    )
    audit_record(by=by, action="labour.quota.redistribute", obj=move, region_code=source.code,
                 before={"places": before},
                 after=snapshot(move) | {"places": {source.code: giving.places, target.code: receiving.places}},
                 reason=move.reason)
    return move
