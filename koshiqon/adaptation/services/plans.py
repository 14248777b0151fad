"""Writes on individual adaptation and integration plans and their referrals to services (domain.md §3).

A plan is made by the staff of the centre the family comes to: its arrival date, transport, family size,
financial aid, job or training, housing, and the services the family is referred to, each due by a date
(domain/plans.py: calendar dates, the service's default term from the catalogue unless staff set another).
Staff then record each service as delivered (the date, who, what was done), which moves the plan's
progress. A family has at most one active plan; a plan is closed with a reason once nobody of the family
stays in the centre. Each write checks the right and the centre, validates, saves and audits in one
transaction.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiqon.adaptation.access import require_centre_write, require_plan_change
from koshiqon.adaptation.domain import plans as rules
from koshiqon.adaptation.messages import plan_message
from koshiqon.adaptation.models import (
    Centre,
    CentreService,
    Housing,
    Plan,
    PlanStatus,
    Referral,
    Service,
    Stay,
    Transport,
    WorkTrack,
)
from koshiqon.core.audit import AuditItem, audit_record_many, object_key, snapshot
from koshiqon.core.numbering import next_number
from koshiqon.kandas.domain.status import AppStatus
from koshiqon.kandas.models import Application
from koshiqon.people.models import Family, FamilyMember, Person

PLAN_FIELDS = [
    "number", "family", "application", "centre", "arrival_date", "transport", "family_size", "financial_aid_tenge",
    "financial_aid_note", "work", "work_note", "housing", "housing_note", "status", "closed_on", "close_reason",
]
REFERRAL_FIELDS = ["plan", "service", "person", "referred_on", "due_on", "note", "delivered_on", "delivered_by",
                   "delivery_note"]
ADMITTED = (AppStatus.INCLUDED, AppStatus.STATUS_GRANTED)
NOT_COMING = (AppStatus.WITHDRAWN, AppStatus.REJECTED, AppStatus.INELIGIBLE)


def plan_number(year: int, n: int) -> str:
    return f"AP-{year}-{n:06d}"


def _text(value, limit: int = 300) -> str:
    return " ".join(str(value or "").split())[:limit]


def _plan_item(plan: Plan, action: str, before: dict | None = None, reason: str = "") -> AuditItem:
    object_type, object_id = object_key(plan)
    return AuditItem(action, object_type, object_id, plan.centre.region.code, before,
                     snapshot(plan, PLAN_FIELDS), reason)


def _referral_item(referral: Referral, action: str, region_code: str, before: dict | None = None) -> AuditItem:
    object_type, object_id = object_key(referral)
    return AuditItem(action, object_type, object_id, region_code, before, snapshot(referral, REFERRAL_FIELDS))


def family_may_come_to(family: Family, centre: Centre) -> bool:
    """A centre serves the families settling in its region: registered there, or whose kandas application
    names it as the region to settle in."""
    if family.region_id == centre.region_id:
        return True
    return Application.objects.filter(family=family, region_id=centre.region_id).exclude(status__in=NOT_COMING).exists()


def kandas_application_of(family: Family) -> Application | None:
    """The family's kandas application a plan points at: an admitted one (included in the quota or granted
    the status) if any, else its latest one still under way."""
    apps = Application.objects.filter(family=family).exclude(status__in=NOT_COMING).order_by("-applied_at", "-id")
    return apps.filter(status__in=ADMITTED).first() or apps.first()


def _members(family: Family) -> dict[int, FamilyMember]:
    return {m.person_id: m for m in FamilyMember.objects.filter(family=family).select_related("person")}


def _service(value) -> Service | None:
    if isinstance(value, Service):
        return value
    return Service.objects.filter(code=str(value or "").strip(), active=True).first()


def _offered(centre: Centre, service: Service) -> bool:
    return CentreService.objects.filter(centre=centre, service=service).exists()


@transaction.atomic
def plan_create(
    *, family: Family, centre: Centre, arrival_date: date, transport: str, work: str, housing: str, by,
    family_size: int | None = None, financial_aid_tenge: int | None = None, financial_aid_note: str = "",
    work_note: str = "", housing_note: str = "", application: Application | None = None,
    services: list[str] | tuple[str, ...] = (), today: date | None = None, placed: bool = False,
) -> Plan:
    """Make a family's plan at a centre, with referrals to the `services` given (catalogue codes, due on the
    catalogue's default term). The family size defaults to the members moving under the kandas application,
    else to the family in the registry; the financial aid to the support decided on the application.

    A centre serves the families settling in its region; `placed` says that an approved placement batch
    settles the family there, whatever region it registered in or preferred."""
    require_centre_write(by, centre)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if family is None:
        raise ValidationError({"family": [_("This field is required.")]})
    if not placed and not family_may_come_to(family, centre):
        add("family", _("This family does not settle in the centre's region."))
    active = Plan.objects.filter(family=family, status=PlanStatus.ACTIVE).first()
    if active is not None:
        add("family", _("This family already has an active plan: %(number)s.") % {"number": active.number})
    if application is None:
        application = kandas_application_of(family)
    elif application.family_id != family.pk:
        add("application", _("This application is not the family's."))
    if centre.closed_on is not None and centre.closed_on <= today:
        add("centre", _("The centre is closed."))
    if arrival_date is None:
        add("arrival_date", _("This field is required."))
    elif arrival_date < centre.opened_on:
        add("arrival_date", _("The centre opens on %(day)s.") % {"day": centre.opened_on.isoformat()})
    for name, value, choices in (("transport", transport, Transport), ("work", work, WorkTrack),
                                 ("housing", housing, Housing)):
        if value not in choices.values:
            add(name, _("Choose one of the options."))
    if family_size is None:
        family_size = (application.members.count() if application is not None else 0) or len(_members(family))
    if financial_aid_tenge is None:
        financial_aid_tenge = int((application.support or {}).get("family_total_tenge") or 0) if application else 0
    if arrival_date is not None:
        for name, problem in rules.plan_problems(arrival=arrival_date, family_size=family_size,
                                                 financial_aid_tenge=financial_aid_tenge, today=today).items():
            add(name, plan_message(problem))
    chosen = []
    for code in dict.fromkeys(services):
        service = _service(code)
        if service is None or not _offered(centre, service):
            add("services", _("The centre does not give this service: %(code)s.") % {"code": code})
        else:
            chosen.append(service)
    if errors:
        raise ValidationError(errors)
    plan = Plan.objects.create(
        number=plan_number(today.year, next_number(f"adaptation-plan-{today.year}")), family=family,
        application=application, centre=centre, arrival_date=arrival_date, transport=transport,
        family_size=family_size, financial_aid_tenge=financial_aid_tenge, financial_aid_note=_text(financial_aid_note),
        work=work, work_note=_text(work_note), housing=housing, housing_note=_text(housing_note),
        created_by=None if isinstance(by, str) else by,
    )
    referrals = Referral.objects.bulk_create([
        Referral(plan=plan, service=s, referred_on=today, created_by=None if isinstance(by, str) else by,
                 due_on=rules.default_due(arrival=arrival_date, referred_on=today, due_days=s.due_days))
        for s in chosen
    ])
    region = centre.region.code
    audit_record_many(by=by, items=[_plan_item(plan, "adaptation.plan.create")]
                      + [_referral_item(r, "adaptation.referral.add", region) for r in referrals])
    return plan


def _locked(plan: Plan, by) -> Plan:
    require_plan_change(by, plan)
    return Plan.objects.select_for_update(of=("self",)).select_related("centre__region", "family").get(pk=plan.pk)


@transaction.atomic
def referral_add(
    *, plan: Plan, service, by, due_on: date | None = None, person: Person | None = None, note: str = "",
    today: date | None = None,
) -> Referral:
    """Refer the family, or one member, to a service the centre gives, due on `due_on` (by default the
    catalogue's term after arrival, or after today for a referral made later)."""
    plan = _locked(plan, by)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if plan.status != PlanStatus.ACTIVE:
        errors["plan"] = [_("The plan is closed.")]
    found = _service(service)
    if found is None or not _offered(plan.centre, found):
        errors["service"] = [_("The centre does not give this service.")]
    if person is not None and person.pk not in _members(plan.family):
        errors["person"] = [_("This person is not a member of the family.")]
    if errors:
        raise ValidationError(errors)
    if due_on is None:
        due_on = rules.default_due(arrival=plan.arrival_date, referred_on=today, due_days=found.due_days)
    for name, problem in rules.referral_problems(referred_on=today, due_on=due_on).items():
        errors[name] = [plan_message(problem)]
    if errors:
        raise ValidationError(errors)
    referral = Referral.objects.create(plan=plan, service=found, person=person, referred_on=today, due_on=due_on,
                                       note=_text(note), created_by=None if isinstance(by, str) else by)
    audit_record_many(by=by, items=[_referral_item(referral, "adaptation.referral.add", plan.centre.region.code)])
    return referral


@transaction.atomic
def referral_deliver(
    *, referral: Referral, by, delivered_on: date | None = None, note: str = "", today: date | None = None
) -> Referral:
    """Record that the service was delivered: on which day (today by default, never in the future), by whom,
    and what was done. A delivery is recorded once."""
    plan = _locked(referral.plan, by)
    today = today or timezone.localdate()
    referral = Referral.objects.select_for_update(of=("self",)).select_related("service").get(pk=referral.pk, plan=plan)
    delivered_on = delivered_on or today
    problems = rules.delivery_problems(referred_on=referral.referred_on, delivered_on=delivered_on,
                                       already=referral.delivered_on, today=today)
    if problems:
        raise ValidationError({name: [plan_message(p)] for name, p in problems.items()})
    before = snapshot(referral, REFERRAL_FIELDS)
    referral.delivered_on, referral.delivery_note = delivered_on, _text(note)
    referral.delivered_by = None if isinstance(by, str) else by
    referral.save(update_fields=["delivered_on", "delivered_by", "delivery_note"])
    audit_record_many(by=by, items=[
        _referral_item(referral, "adaptation.referral.deliver", plan.centre.region.code, before=before)])
    return referral


@transaction.atomic
def plan_close(*, plan: Plan, by, reason: str, closed_on: date | None = None, today: date | None = None) -> Plan:
    """Close a plan (the family settled, moved away, or refused the centre's help), with the reason. Nobody
    of the family may still stay in the centre. Outcomes can still be recorded on a closed plan."""
    plan = _locked(plan, by)
    today = today or timezone.localdate()
    closed_on = closed_on or today
    errors: dict[str, list[str]] = {}
    if plan.status != PlanStatus.ACTIVE:
        errors["plan"] = [_("The plan is already closed.")]
    if not _text(reason, 2000):
        errors["reason"] = [_("Say why the plan is closed.")]
    if closed_on > today or closed_on < plan.arrival_date:
        errors["closed_on"] = [_("The plan closes between the arrival and today.")]
    if Stay.objects.filter(plan=plan, check_out__isnull=True).exists():
        errors["plan"] = [_("Members of the family still stay in the centre: check them out first.")]
    if errors:
        raise ValidationError(errors)
    before = snapshot(plan, PLAN_FIELDS)
    plan.status, plan.closed_on, plan.close_reason = PlanStatus.CLOSED, closed_on, _text(reason, 2000)
    plan.save(update_fields=["status", "closed_on", "close_reason", "updated_at"])
    audit_record_many(by=by, items=[_plan_item(plan, "adaptation.plan.close", before, plan.close_reason)])
    return plan

