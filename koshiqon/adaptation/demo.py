"""Demo centres, plans, deliveries, stays and outcomes for the kandas families of the demo (koshiqon.kandas.demo).

Centres open in the regions where kandas settle under the 2025-2026 rules (domain.md §2): Pavlodar, North
Kazakhstan, East Kazakhstan, Kostanay, Akmola and Abai, each small (20 to 40 beds: domain.md §3 gives 20 as an
example) and giving the whole catalogue. The demo account "centre" is made staff of the Pavlodar centre.
Their names and addresses are invented for the demo.

Families whose kandas application of last year or this year names a centre's region get a plan. Last year's
families have arrived, were served, stayed a few weeks, had their plans closed and have outcomes at 3, 6 and
12 months, drawn around what is known for 2025 (domain.md §3: of 2,307 working-age resettled people, 1,041 were
employed, 45%). This year's families are at the centre now: some services delivered, some overdue, some members
staying; one family in Pavlodar arrives today.

Everything goes through the services (with "koshiqon demo" as the actor), so the demo meets the same rules as
staff do, capacity included, and each write is audited. A second run with the same seed makes no new plan;
the centres and the staff link are checked on every run.
"""

import random
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from koshiqon.accounts.models import User
from koshiqon.adaptation.domain.outcomes import CHECKPOINTS, checkpoint_date, is_working_age
from koshiqon.adaptation.models import Centre, Housing, Plan, PlanStatus, Service, Transport, WorkTrack
from koshiqon.adaptation.services.catalogue import adaptation_catalogue_load
from koshiqon.adaptation.services.centres import centre_create, centre_services_set, centre_staff_set
from koshiqon.adaptation.services.outcomes import outcomes_record_many
from koshiqon.adaptation.services.plans import plan_close, plan_create, referral_deliver
from koshiqon.adaptation.services.stays import stay_check_in, stay_check_out
from koshiqon.core.audit import audit_record
from koshiqon.core.domain.permissions import Role
from koshiqon.core.models import AuditEvent
from koshiqon.kandas.domain.status import AppStatus
from koshiqon.kandas.models import Application
from koshiqon.people.models import FamilyMember
from koshiqon.reference.models import Region

DEMO_ACTION = "adaptation.demo"
STAFF_ACCOUNT = "centre"
STAFF_REGION = "KZ-55"
# region, name, address, beds, opened on
CENTRES = (
    ("KZ-55", "Павлодар облыстық қандастарды бейімдеу және кіріктіру орталығы", "Павлодар қ., Академик Сәтбаев к-сі, 44",
     40, date(2014, 3, 3)),
    ("KZ-59", "Солтүстік Қазақстан облыстық бейімдеу және кіріктіру орталығы", "Петропавл қ., Жамбыл к-сі, 120",
     30, date(2016, 9, 1)),
    ("KZ-63", "Шығыс Қазақстан облыстық бейімдеу және кіріктіру орталығы", "Өскемен қ., Қазыбек би к-сі, 17",
     25, date(2015, 4, 1)),
    ("KZ-39", "Қостанай облыстық бейімдеу және кіріктіру орталығы", "Қостанай қ., Байтұрсынов к-сі, 65",
     20, date(2017, 2, 1)),
    ("KZ-11", "Ақмола облыстық бейімдеу және кіріктіру орталығы", "Көкшетау қ., Абылай хан д-лы, 31",
     20, date(2016, 9, 1)),
    ("KZ-10", "Абай облыстық бейімдеу және кіріктіру орталығы", "Семей қ., Шәкәрім д-лы, 12",
     20, date(2022, 9, 1)),
)
COURSE_PLACES = (15, 20, 25)
PER_CENTRE = 12  # families a year at most, per centre
COMING = (AppStatus.SUBMITTED, AppStatus.CHECKED, AppStatus.RECOMMENDED, AppStatus.WAITLISTED, AppStatus.INCLUDED,
          AppStatus.STATUS_GRANTED)
FIRST_SERVICES = ("information", "documents", "registration", "state_language", "employment_help")
SECTORS = ("A", "A", "C", "F", "F", "G", "G", "H", "I", "P", "Q", "S")
# Employment share of the working-age at 3, 6 and 12 months (2025: 45% employed, domain.md §3).
EMPLOYED = {3: 0.30, 6: 0.40, 12: 0.47}
LABEL = "koshiqon demo"


class AdaptationDemoError(Exception):
    """The demo cannot be made (the reference data or the catalogue is missing)."""


def _centres(by) -> list[Centre]:
    regions = {r.code: r for r in Region.objects.filter(code__in=[c[0] for c in CENTRES])}
    missing = sorted({c[0] for c in CENTRES} - set(regions))
    if missing:
        raise AdaptationDemoError(f"regions {', '.join(missing)} are not loaded: run load_reference first")
    services = list(Service.objects.filter(active=True))
    out = []
    for i, (code, name, address, beds, opened) in enumerate(CENTRES):
        centre = Centre.objects.filter(region=regions[code], name=name).first()
        if centre is None:
            centre = centre_create(name=name, region=regions[code], address=address, beds=beds, opened_on=opened,
                                   phone=f"+7 7{i + 1}2 55 {10 + i:02d} 00", by=by)
            offers = {s.code: (COURSE_PLACES[(i + s.order) % 3] if s.is_course else None) for s in services}
            centre_services_set(centre=centre, offers=offers, by=by)
        out.append(centre)
    return out


def _link_staff(centres: list[Centre], by) -> bool:
    """Make the demo account of centre staff the staff of the Pavlodar centre (once it exists)."""
    user = User.objects.filter(username=STAFF_ACCOUNT, role=Role.CENTRE_STAFF).first()
    centre = next((c for c in centres if c.region.code == STAFF_REGION), None)
    if user is None or centre is None or centre.staff.filter(pk=user.pk).exists():
        return False
    centre_staff_set(centre=centre, users=[*centre.staff.all(), user], by=by)
    return True


def _applications(region_id: int, year: int) -> list[Application]:
    planned = Plan.objects.values("family_id")
    return list(Application.objects.filter(region_id=region_id, year=year, status__in=COMING)
                .exclude(family_id__in=planned).select_related("family").order_by("applied_at", "id")[:PER_CENTRE])


def _working_age(family_id: int, arrival: date) -> list[tuple[Any, list[int]]]:
    out = []
    for m in FamilyMember.objects.filter(family_id=family_id).select_related("person"):
        months = [n for n in CHECKPOINTS if is_working_age(birth=m.person.birth_date, sex=m.person.sex,
                                                           on=checkpoint_date(arrival, n))]
        if months:
            out.append((m.person, months))
    return out


def _plan(rng: random.Random, app: Application, centre: Centre, arrival: date, made_on: date, by) -> Plan:
    offered = list(centre.offers.values_list("service__code", flat=True))
    pool = sorted(c for c in offered if c not in FIRST_SERVICES and c != "temporary_housing")
    extra = rng.sample(pool, k=min(rng.randint(1, 3), len(pool)))
    first = [c for c in FIRST_SERVICES if c in offered][: rng.randint(3, 5)]
    housing = rng.choice((Housing.CENTRE, Housing.CENTRE, Housing.RENTED, Housing.RELATIVES))
    if housing == Housing.CENTRE and "temporary_housing" in offered:
        extra.append("temporary_housing")
    return plan_create(
        family=app.family, centre=centre, arrival_date=arrival, application=app,
        transport=rng.choice((Transport.ORGANISED, Transport.RAIL, Transport.RAIL, Transport.ROAD, Transport.AIR)),
        work=rng.choice((WorkTrack.JOB, WorkTrack.TRAINING, WorkTrack.SEARCH, WorkTrack.SEARCH)), housing=housing,
        services=first + extra, today=made_on, by=by,
    )


def _stay(plan: Plan, on: date, until: date | None, by) -> int:
    persons = [m.person for m in FamilyMember.objects.filter(family=plan.family).select_related("person")]
    try:
        stays = stay_check_in(plan=plan, persons=persons, on=on, by=by)
    except ValidationError:  # the centre is full: the family found housing elsewhere
        return 0
    if until is not None:
        stay_check_out(stays=stays, on=until, by=by)
    return len(stays)


def _past_family(rng: random.Random, app: Application, centre: Centre, today: date, arrival: date, by,
                 tally: dict) -> None:
    """A family that arrived at least two months ago: served, stayed a few weeks, plan closed, outcomes."""
    plan = _plan(rng, app, centre, arrival, arrival, by)
    for referral in plan.referrals.all():
        day = min(referral.due_on + timedelta(days=rng.randint(-5, 4)), today)
        referral_deliver(referral=referral, delivered_on=max(day, referral.referred_on), by=by)
    left = min(arrival + timedelta(days=rng.randint(14, 50)), today)
    if plan.housing == Housing.CENTRE:
        tally["stays"] += _stay(plan, arrival, left, by)
    rows = []
    for person, months in _working_age(app.family_id, arrival):
        for n in months:
            if checkpoint_date(arrival, n) > today:
                continue
            employed = "yes" if rng.random() < EMPLOYED[n] else ("unknown" if rng.random() < 0.08 else "no")
            stayed = "" if n != 12 else rng.choices(("yes", "no", "unknown"), weights=(85, 10, 5))[0]
            rows.append({"plan": plan, "person": person, "months": n, "employed": employed,
                         "sector": rng.choice(SECTORS) if employed == "yes" else "", "stayed_in_region": stayed})
    if rows:
        tally["outcomes"] += outcomes_record_many(rows=rows, by=by, source="system").created
    plan_close(plan=plan, reason="Отбасы тұрақты тұрғын үйге көшті, жоспар орындалды.",
               closed_on=max(min(arrival + timedelta(days=rng.randint(120, 200)), today), left), by=by)
    tally["plans"] += 1


def _current_family(rng: random.Random, app: Application, centre: Centre, today: date, arrival: date, by,
                    tally: dict) -> None:
    plan = _plan(rng, app, centre, arrival, min(arrival, today), by)
    if arrival <= today:
        for referral in plan.referrals.all():
            # Staff catch up with old referrals; the recent ones are where services run late.
            if referral.due_on <= today and rng.random() < (0.95 if referral.due_on < today - timedelta(days=30) else 0.5):
                day = min(referral.due_on - timedelta(days=rng.randint(0, 3)), today)
                referral_deliver(referral=referral, delivered_on=max(day, referral.referred_on), by=by)
                tally["delivered"] += 1
        if plan.housing == Housing.CENTRE:
            tally["stays"] += _stay(plan, arrival, None, by)
    tally["plans"] += 1


def adaptation_demo(*, seed: int = 1, by: Any = LABEL, today: date | None = None) -> dict[str, Any]:
    """Make the demo centres (and link the demo staff account), then, once per seed, the plans of the demo
    kandas families of last year and this year in the centres' regions. Returns the counts."""
    today = today or timezone.localdate()
    adaptation_catalogue_load(by=by)
    with transaction.atomic():
        centres = _centres(by)
        linked = _link_staff(centres, by)
    done = AuditEvent.objects.filter(action=DEMO_ACTION, after__seed=seed).first()
    if done:
        return {**done.after, "created": False, "staff_linked": linked}
    rng = random.Random(f"adaptation-demo-{seed}")
    tally = {"plans": 0, "stays": 0, "outcomes": 0, "delivered": 0}
    with transaction.atomic():
        for centre in centres:
            for app in _applications(centre.region_id, today.year - 1):
                arrival = max(timezone.localtime(app.applied_at).date() + timedelta(days=rng.randint(20, 90)),
                              centre.opened_on)
                if arrival <= today - timedelta(days=60):
                    _past_family(rng, app, centre, today, arrival, by, tally)
                else:
                    _current_family(rng, app, centre, today, arrival, by, tally)
            current = _applications(centre.region_id, today.year)
            for i, app in enumerate(current):
                applied = timezone.localtime(app.applied_at).date()
                arrival = applied + timedelta(days=rng.randint(10, 60))
                if centre.region.code == STAFF_REGION and i == len(current) - 1:
                    arrival = today  # someone arrives today at the demo staff's centre
                _current_family(rng, app, centre, today, min(arrival, today + timedelta(days=60)), by, tally)
        counts = {"seed": seed, "centres": len(centres), **tally}
        audit_record(by=by, action=DEMO_ACTION, object_type="adaptation.plan", after=counts)
    return {**counts, "created": True, "staff_linked": linked,
            "active_plans": Plan.objects.filter(status=PlanStatus.ACTIVE).count()}
