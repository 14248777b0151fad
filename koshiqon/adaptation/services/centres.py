"""Writes on centres: open one, change its address, capacity or opening period, set the services it gives
(with the places of each course) and its staff. National officers manage centres (`centres.manage`).

Capacity rule (domain.md §3): the persons staying in a centre never exceed its beds. So the beds of a centre
cannot be cut below the most persons staying on any day from today on, and a centre cannot close while
someone still stays in it. The centre's row is locked for the change, as check-ins lock it, so a check-in
and a cut of the beds cannot pass each other.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiqon.adaptation.access import require_right
from koshiqon.adaptation.domain.capacity import Period, peak_from
from koshiqon.adaptation.models import Centre, CentreService, Service, Stay
from koshiqon.core.audit import audit_record, snapshot
from koshiqon.core.domain.permissions import Perm, Role

CENTRE_FIELDS = ["name", "region", "address", "phone", "beds", "opened_on", "closed_on", "max_stay_days"]
MAX_BEDS = 10_000
MAX_STAY_DAYS = 3650


def _audit(centre: Centre, action: str, *, by, before: dict | None = None, after: dict | None = None,
           reason: str = "") -> None:
    audit_record(by=by, action=action, obj=centre, region_code=centre.region.code, before=before,
                 after=after if after is not None else snapshot(centre, CENTRE_FIELDS), reason=reason)


def _periods(centre: Centre) -> list[Period]:
    return [Period(a, b) for a, b in Stay.objects.filter(centre=centre).values_list("check_in", "check_out")]


def _clean(values: dict, *, centre: Centre | None, today: date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    for name in ("name", "address"):
        values[name] = " ".join(str(values.get(name) or "").split())
        if not values[name]:
            add(name, _("This field is required."))
    values["phone"] = " ".join(str(values.get("phone") or "").split())[:40]
    if values.get("region") is None:
        add("region", _("This field is required."))
    beds = values.get("beds")
    if not isinstance(beds, int) or not 0 <= beds <= MAX_BEDS:
        add("beds", _("Enter the number of beds, 0 to %(max)s.") % {"max": MAX_BEDS})
    opened, closed = values.get("opened_on"), values.get("closed_on")
    if opened is None:
        add("opened_on", _("This field is required."))
    elif closed is not None and closed <= opened:
        add("closed_on", _("A centre closes after it opens."))
    stay = values.get("max_stay_days")
    if stay is not None and (not isinstance(stay, int) or not 1 <= stay <= MAX_STAY_DAYS):
        add("max_stay_days", _("Enter the longest stay in days, 1 to %(max)s, or leave it empty.") % {"max": MAX_STAY_DAYS})
    if centre is not None and "beds" not in errors:
        periods = _periods(centre)
        peak = peak_from(periods, today)
        if beds < peak:
            add("beds", _("Persons staying in the centre from today on: %(count)s. Check some out before cutting the "
                          "beds below that.") % {"count": peak})
        if closed is not None and closed <= today and any(p.end is None for p in periods):
            add("closed_on", _("Persons still stay in the centre: check them out before closing it."))
    return errors


@transaction.atomic
def centre_create(
    *, name: str, region, address: str, beds: int, opened_on: date, by, phone: str = "",
    closed_on: date | None = None, max_stay_days: int | None = None, today: date | None = None,
) -> Centre:
    """Open a centre in a region with its beds and the date it opens."""
    require_right(by, Perm.CENTRES_MANAGE)
    values = {"name": name, "region": region, "address": address, "phone": phone, "beds": beds,
              "opened_on": opened_on, "closed_on": closed_on, "max_stay_days": max_stay_days}
    errors = _clean(values, centre=None, today=today or timezone.localdate())
    if errors:
        raise ValidationError(errors)
    centre = Centre.objects.create(**values)
    _audit(centre, "adaptation.centre.create", by=by)
    return centre


@transaction.atomic
def centre_update(*, centre: Centre, by, reason: str = "", today: date | None = None, **changes) -> Centre:
    """Change a centre's name, address, phone, beds, opening period or longest stay."""
    require_right(by, Perm.CENTRES_MANAGE)
    unknown = set(changes) - set(CENTRE_FIELDS)
    if unknown:
        raise TypeError(f"centre_update() got unexpected fields {sorted(unknown)}")
    centre = Centre.objects.select_for_update(of=("self",)).select_related("region").get(pk=centre.pk)
    before = snapshot(centre, CENTRE_FIELDS)
    values = {name: getattr(centre, name) for name in CENTRE_FIELDS} | changes
    errors = _clean(values, centre=centre, today=today or timezone.localdate())
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(centre, name, value)
    centre.save()
    _audit(centre, "adaptation.centre.update", by=by, before=before, reason=reason.strip())
    return centre


@transaction.atomic
def centre_services_set(*, centre: Centre, offers: dict[str, int | None], by) -> Centre:
    """The services the centre gives, by catalogue code, with the places of each course (None for a service
    that is not a course). Referrals already made to a service the centre stops giving stay as they are."""
    require_right(by, Perm.CENTRES_MANAGE)
    services = {s.code: s for s in Service.objects.filter(code__in=list(offers), active=True)}
    errors: list[str] = []
    unknown = sorted(set(offers) - set(services))
    if unknown:
        errors.append(_("Not in the catalogue: %(codes)s.") % {"codes": ", ".join(unknown)})
    for code, places in sorted(offers.items()):
        service = services.get(code)
        if service is None:
            continue
        if places is not None and not service.is_course:
            errors.append(_("%(service)s is not a course: it has no places.") % {"service": service.name})
        elif places is not None and not 1 <= places <= MAX_BEDS:
            errors.append(_("Enter the places of %(service)s, 1 to %(max)s.") % {"service": service.name, "max": MAX_BEDS})
    if errors:
        raise ValidationError({"offers": errors})
    before = {o.service.code: o.places for o in centre.offers.select_related("service")}
    CentreService.objects.filter(centre=centre).exclude(service__code__in=list(offers)).delete()
    for code, places in offers.items():
        CentreService.objects.update_or_create(centre=centre, service=services[code], defaults={"places": places})
    _audit(centre, "adaptation.centre.services", by=by, before={"offers": before},
           after={"offers": dict(sorted(offers.items()))})
    return centre


@transaction.atomic
def centre_staff_set(*, centre: Centre, users, by) -> Centre:
    """The staff of the centre: accounts of the centre-staff role. Staff see and change the plans of the
    families at their centres only."""
    require_right(by, Perm.CENTRES_MANAGE)
    users = list(users)
    wrong = sorted(u.get_username() for u in users if u.role != Role.CENTRE_STAFF or not u.is_active)
    if wrong:
        raise ValidationError({"staff": [
            _("Only active accounts of centre staff can be staff of a centre: %(users)s.") % {"users": ", ".join(wrong)}
        ]})
    before = sorted(centre.staff.values_list("username", flat=True))
    centre.staff.set(users)
    _audit(centre, "adaptation.centre.staff", by=by, before={"staff": before},
           after={"staff": sorted(u.get_username() for u in users)})
    return centre
