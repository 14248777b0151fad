"""Check-in and check-out of family members at a centre's temporary housing.

Rule (domain.md §3, and domain/capacity.py): the persons staying in a centre never exceed its beds, on any
day. A check-in locks the centre's row (SELECT ... FOR UPDATE on PostgreSQL; SQLite runs one write
transaction at a time) before counting who stays, so two desks checking in at once are counted one after
the other and the last bed is given once. A check-in of several members is all or none. A person stays in
one place at a time; a check-in or check-out lies between the family's arrival and today.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koshiqon.adaptation.access import require_plan_change
from koshiqon.adaptation.domain.capacity import Period, person_is_staying, room_from
from koshiqon.adaptation.models import Centre, Plan, PlanStatus, Stay
from koshiqon.core.audit import AuditItem, audit_record_many, object_key, snapshot
from koshiqon.people.models import FamilyMember, Person

STAY_FIELDS = ["centre", "plan", "person", "check_in", "check_out"]


def _item(stay: Stay, action: str, region_code: str, before: dict | None = None) -> AuditItem:
    object_type, object_id = object_key(stay)
    return AuditItem(action, object_type, object_id, region_code, before, snapshot(stay, STAY_FIELDS))


def _actor(by):
    return None if isinstance(by, str) else by


def _open_on(centre: Centre, day: date) -> bool:
    return centre.opened_on <= day and (centre.closed_on is None or day < centre.closed_on)


@transaction.atomic
def stay_check_in(*, plan: Plan, persons: list[Person], by, on: date | None = None,
                  today: date | None = None) -> list[Stay]:
    """Check members of the plan's family in at the plan's centre on `on` (today by default). Refused, for
    all of them, when the centre lacks the beds for them on that day or any day since."""
    require_plan_change(by, plan)
    plan = Plan.objects.select_for_update(of=("self",)).select_related("family").get(pk=plan.pk)
    # The lock that serialises every check-in at this centre.
    centre = Centre.objects.select_for_update(of=("self",)).select_related("region").get(pk=plan.centre_id)
    today = today or timezone.localdate()
    on = on or today
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if plan.status != PlanStatus.ACTIVE:
        add("plan", _("The plan is closed."))
    persons = list(dict.fromkeys(persons))
    members = set(FamilyMember.objects.filter(family=plan.family).values_list("person_id", flat=True))
    if not persons:
        add("persons", _("Choose who checks in."))
    if any(p.pk not in members for p in persons):
        add("persons", _("This person is not a member of the family."))
    if on > today:
        add("on", _("A check-in is recorded when it happens: the date cannot be in the future."))
    elif on < plan.arrival_date:
        add("on", _("The family arrives on %(day)s: nobody checks in before that.") % {"day": plan.arrival_date.isoformat()})
    elif not _open_on(centre, on):
        add("on", _("The centre is not open on that day."))
    if errors:
        raise ValidationError(errors)
    staying = []
    for person in persons:
        periods = [Period(a, b) for a, b in Stay.objects.filter(person=person).values_list("check_in", "check_out")]
        if person_is_staying(periods, on):
            staying.append(person.full_name)
    if staying:
        add("persons", _("Already staying in a centre on that day: %(names)s.") % {"names": ", ".join(staying)})
    periods = [Period(a, b) for a, b in Stay.objects.filter(centre=centre).values_list("check_in", "check_out")]
    room = room_from(centre.beds, periods, on)
    if len(persons) > room:
        add("persons", ngettext(
            "The centre is full: %(free)s bed is free from that day; persons checking in: %(count)s.",
            "The centre is full: %(free)s beds are free from that day; persons checking in: %(count)s.",
            room) % {"free": room, "count": len(persons)})
    if errors:
        raise ValidationError(errors)
    stays = Stay.objects.bulk_create([
        Stay(centre=centre, plan=plan, person=p, check_in=on, checked_in_by=_actor(by)) for p in persons
    ])
    if not all(s.pk for s in stays):  # databases that return no ids from a bulk insert
        stays = list(Stay.objects.filter(plan=plan, check_in=on, person__in=persons, check_out__isnull=True))
    audit_record_many(by=by, items=[_item(s, "adaptation.stay.check_in", centre.region.code) for s in stays])
    return stays


@transaction.atomic
def stay_check_out(*, stays: list[Stay], by, on: date | None = None, today: date | None = None) -> list[Stay]:
    """Check persons out of the centre on `on` (today by default): their beds are free from that day."""
    if not stays:
        raise ValidationError({"stays": [_("Choose who checks out.")]})
    plan_ids = {s.plan_id for s in stays}
    if len(plan_ids) != 1:
        raise ValidationError({"stays": [_("Check out the members of one family at a time.")]})
    plan = Plan.objects.select_related("centre__region").get(pk=plan_ids.pop())
    require_plan_change(by, plan)
    Plan.objects.select_for_update(of=("self",)).filter(pk=plan.pk).first()
    today = today or timezone.localdate()
    on = on or today
    locked = list(Stay.objects.select_for_update().filter(pk__in=[s.pk for s in stays]).order_by("id"))
    errors: dict[str, list[str]] = {}
    if any(s.check_out is not None for s in locked):
        errors["stays"] = [_("This person has already checked out.")]
    if on > today:
        errors["on"] = [_("A check-out is recorded when it happens: the date cannot be in the future.")]
    elif any(on < s.check_in for s in locked):
        errors["on"] = [_("A check-out cannot be before the check-in.")]
    if errors:
        raise ValidationError(errors)
    items = []
    for stay in locked:
        before = snapshot(stay, STAY_FIELDS)
        stay.check_out, stay.checked_out_by = on, _actor(by)
        stay.save(update_fields=["check_out", "checked_out_by"])
        items.append(_item(stay, "adaptation.stay.check_out", plan.centre.region.code, before))
    audit_record_many(by=by, items=items)
    return locked
