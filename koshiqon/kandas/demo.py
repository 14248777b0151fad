"""Demo kandas applications for the families that `koshiqon demo` generated (koshiqon.demo).

Families whose head is not a citizen of Kazakhstan apply for the quota of a year. Members' education is drawn
from what is known of the kandas who came to 2016 (domain.md §2: of the working-age, higher education 8.8%,
specialised secondary 20.6%, general secondary 60.8%, none 9.8%), their occupation from the groups that fit
their education, their experience from their age, their Kazakh and Russian from their country of origin. The
preferred region follows the year's regional quota (or the designated regions), and the statuses are spread
over the procedure as a real year looks: recent files still waiting, older ones mostly recommended, a few
returned, rejected or withdrawn, and a few forgotten past their deadline.

Written in bulk, not through the services (a few queries per thousand applications), with one audit event,
"kandas.demo", holding the seed, the year and the counts; a second run with the same seed and year does
nothing. The applications' deadlines are computed by the same procedure rules as the services'.
"""

import random
from collections import Counter as Tally
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from koshiqon.core.audit import audit_record
from koshiqon.core.calendar import work_calendar
from koshiqon.core.domain.policy import in_force
from koshiqon.core.models import AuditEvent
from koshiqon.core.numbering import counter_for_update
from koshiqon.core.policy import policy_doc, policy_versions
from koshiqon.kandas.domain import procedure
from koshiqon.kandas.domain.policy import RULES_KIND, rules_from
from koshiqon.kandas.domain.procedure import age_on
from koshiqon.kandas.models import ApplicantMember, Application, QuotaPlan
from koshiqon.kandas.services.applications import application_number
from koshiqon.people.models import FamilyMember
from koshiqon.reference.models import EducationLevel, Occupation, Region

DEMO_ACTION = "kandas.demo"
BATCH = 2000

# Of the working-age kandas to 2016 (domain.md §2), as ISCED 2011 levels.
ADULT_EDUCATION = (("6", 7.3), ("7", 1.5), ("4", 15.6), ("5", 5.0), ("3", 60.8), ("2", 7.8), ("1", 2.0))
OCCUPATIONS = {
    "higher": ("214", "215", "221", "222", "226", "231", "233", "234", "241", "242", "251", "261", "263"),
    "specialised": ("311", "313", "321", "322", "331", "334", "711", "721", "723", "741", "751", "833", "834"),
    "general": ("522", "611", "612", "613", "711", "712", "721", "751", "833", "911", "921", "931", "932", "962"),
    "none": ("611", "612", "613", "911", "921", "931", "962"),
}
GROUP = {"8": "higher", "7": "higher", "6": "higher", "5": "specialised", "4": "specialised", "3": "general"}
# Kazakh and Russian of the adults by country of origin: (none, basic, fluent) weights.
KAZAKH = {"CN": (3, 12, 85), "MN": (2, 8, 90), "UZ": (5, 25, 70), "TM": (5, 30, 65), "RU": (25, 45, 30)}
RUSSIAN = {"CN": (80, 17, 3), "MN": (50, 40, 10), "UZ": (25, 50, 25), "TM": (30, 50, 20), "RU": (0, 5, 95)}
DEFAULT_LANGUAGES = (10, 40, 50)
# Case data is written in the language of the office: a commission's reason, in Kazakh.
REJECTION = "Ұсынылған құжаттар қазақ ұлтына жататынын растамайды."
CHANNELS = (("in_person", 55), ("egov", 35), ("consulate", 10))
RECENT = (("submitted", 30), ("returned", 15), ("checked", 40), ("recommended", 15))
OLDER = (("recommended", 68), ("rejected", 9), ("withdrawn", 7), ("returned", 9), ("checked", 4), ("submitted", 3))


class KandasDemoError(Exception):
    """The demo applications cannot be made (the reference or kandas data they need is missing)."""


def _pick(rng: random.Random, weights) -> Any:
    values, shares = zip(*weights, strict=True)
    return rng.choices(values, weights=shares)[0]


def _level(rng: random.Random, origin: str, table: dict, age: int) -> str:
    if age < 4:
        return "none"
    return rng.choices(("none", "basic", "fluent"), weights=table.get(origin, DEFAULT_LANGUAGES))[0]


def draw_member(rng: random.Random, *, age: int, origin: str) -> dict[str, Any]:
    """A member's education, occupation, experience and languages for their age and country of origin."""
    education, occupation, experience = None, None, Decimal(0)
    if 7 <= age < 11:
        education = "1"
    elif 11 <= age < 16:
        education = "2"
    elif 16 <= age < 18:
        education = "3" if rng.random() < 0.5 else "2"
    elif age >= 18:
        education = _pick(rng, ADULT_EDUCATION)
        # Fewer pensioners worked in the occupations of the grid, and some adults keep house.
        if age < 63 and rng.random() < 0.85:
            occupation = rng.choice(OCCUPATIONS[GROUP.get(education, "none")])
            most = max(min(age - 18, 35), 0)
            experience = Decimal(rng.randint(0, most * 10) if most else 0) / 10
    return {
        "education": education, "occupation": occupation, "experience_years": experience,
        "kazakh": _level(rng, origin, KAZAKH, age), "russian": _level(rng, origin, RUSSIAN, age),
    }


def _rules_lookup():
    docs = [policy_doc(v) for v in policy_versions(kind=RULES_KIND)]
    ids = {v.code: v.pk for v in policy_versions(kind=RULES_KIND)}
    cache: dict[date, Any] = {}

    def lookup(on: date):
        if on not in cache:
            doc = in_force(docs, RULES_KIND, on)
            cache[on] = (ids[doc.code], rules_from(doc.parameters)) if doc else None
        return cache[on]

    return lookup


def _region_weights(year: int, rules) -> list[tuple[str, float]]:
    plan = QuotaPlan.objects.filter(year=year, category="kandas").prefetch_related("regional__region").first()
    split = {q.region.code: q.amount for q in plan.regional.all()} if plan else {}
    weights = [(code, split.get(code, 0)) for code in rules.resettlement_regions]
    if not any(w for _c, w in weights):
        weights = [(code, 1) for code in rules.resettlement_regions]
    return [(c, w) for c, w in weights if w]


def _status(rng: random.Random, applied_on: date, today: date) -> str:
    days = (today - applied_on).days
    if days <= 1:
        return "submitted"
    return _pick(rng, RECENT if days <= 6 else OLDER)


def _families(year: int) -> list[int]:
    """Families headed by a foreign citizen that have no application for the year yet, in id order."""
    taken = Application.objects.filter(year=year).values("family_id")
    return sorted(
        FamilyMember.objects.filter(relation="head", family__deleted_at__isnull=True)
        .exclude(person__citizenship__alpha2="KZ").exclude(person__citizenship__isnull=True)
        .exclude(family_id__in=taken).values_list("family_id", flat=True)
    )


def kandas_demo(*, year: int, size: int, seed: int = 1, by: Any = "koshiqon demo") -> dict[str, Any]:
    """Create up to `size` demo applications for `year` from the demo families (fewer when fewer families
    are left). Returns the counts; a run already made with this seed and year is not repeated."""
    done = AuditEvent.objects.filter(action=DEMO_ACTION, after__seed=seed, after__year=year).first()
    if done:
        return {**done.after, "created": False}
    today = timezone.localdate()
    start, end = date(year, 1, 1), min(date(year, 12, 31), today - timedelta(days=1))
    lookup = _rules_lookup()
    if end < start or lookup(end) is None:
        raise KandasDemoError(f"no kandas rules version is in force in {year} up to yesterday: run load_kandas first")
    education_ids = dict(EducationLevel.objects.values_list("code", "id"))
    occupation_ids = dict(Occupation.objects.values_list("code", "id"))
    if not education_ids or not occupation_ids:
        raise KandasDemoError("the reference data is not loaded: run load_reference first")
    rng = random.Random(f"kandas-demo-{seed}-{year}")
    families = _families(year)
    chosen = sorted(rng.sample(families, min(size, len(families))))
    regions = dict(Region.objects.values_list("code", "id"))
    calendar, tally = work_calendar(), Tally()
    weights: dict[int, list] = {}
    with transaction.atomic():
        counter = counter_for_update(f"kandas-{year}")  # a block of numbers, no gap, no clash
        for offset in range(0, len(chosen), BATCH):
            part = chosen[offset:offset + BATCH]
            members: dict[int, list] = {}
            for row in (FamilyMember.objects.filter(family_id__in=part)
                        .values("family_id", "person_id", "relation", "person__birth_date",
                                "person__citizenship__alpha2").order_by("family_id", "id")):
                members.setdefault(row["family_id"], []).append(row)
            apps, rows = [], []
            for family_id in part:
                household = members.get(family_id, [])
                head = next((m for m in household if m["relation"] == "head"), None)
                if head is None:
                    continue
                applied_on = start + timedelta(days=rng.randint(0, (end - start).days))
                channel = _pick(rng, CHANNELS)
                if channel == "in_person":
                    applied_on = calendar.add_working_days(applied_on, 0)
                    if applied_on > end:
                        applied_on = calendar.add_working_days(end, -1)
                version = lookup(applied_on)
                if version is None or applied_on < start:
                    continue
                version_id, rules = version
                if version_id not in weights:
                    weights[version_id] = _region_weights(year, rules)
                region = _pick(rng, weights[version_id])
                status = _status(rng, applied_on, today)
                deadlines = procedure.on_submission(applied_on, rules, calendar)
                commission_due = deadlines.commission_due
                if status == "checked":
                    checked_on = min(calendar.add_working_days(deadlines.check_due, rng.choice((0, 0, 1))), today)
                    commission_due = procedure.commission_due(checked_on, rules, calendar)
                missing = set(rng.sample(rules.document_codes, 2)) if status == "returned" else set()
                complete = status not in ("submitted", "returned")
                checklist = {code: complete or (code not in missing and rng.random() < 0.9)
                             for code in rules.document_codes}
                children = sum(1 for m in household if age_on(m["person__birth_date"], applied_on) < 16)
                priority = ""
                if children >= 4 and rng.random() < 0.6:
                    priority = "large_family" if "large_family" in rules.priority_codes else ""
                elif rng.random() < 0.03 and "disability" in rules.priority_codes:
                    priority = "disability"
                at = timezone.make_aware(datetime.combine(applied_on, time(9 + rng.randint(0, 8), rng.randint(0, 59))))
                counter.value += 1
                number = application_number(year, counter.value)
                apps.append(Application(
                    number=number, year=year, family_id=family_id, head_id=head["person_id"], region_id=regions[region],
                    channel=channel, applied_at=at, status=status, checklist=checklist, priority=priority,
                    check_due=deadlines.check_due, commission_due=commission_due if status != "returned" else None,
                    rules_version_id=version_id, created_at=at,
                    decision_reasons=[REJECTION] if status == "rejected" else [],
                ))
                for m in household:
                    origin = m["person__citizenship__alpha2"] or ""
                    drawn = draw_member(rng, age=age_on(m["person__birth_date"], applied_on), origin=origin)
                    rows.append((number, ApplicantMember(
                        person_id=m["person_id"], relation=m["relation"],
                        education_id=education_ids.get(drawn["education"]) if drawn["education"] else None,
                        occupation_id=occupation_ids.get(drawn["occupation"]) if drawn["occupation"] else None,
                        experience_years=drawn["experience_years"], kazakh=drawn["kazakh"], russian=drawn["russian"],
                    )))
                tally[status] += 1
            Application.objects.bulk_create(apps, batch_size=BATCH)
            ids = dict(Application.objects.filter(number__in=[a.number for a in apps]).values_list("number", "id"))
            for number, member in rows:
                member.application_id = ids[number]
            ApplicantMember.objects.bulk_create([m for _n, m in rows], batch_size=BATCH)
            tally["members"] += len(rows)
        counter.save(update_fields=["value"])
        counts = {"seed": seed, "year": year, "size": size, "applications": sum(
            v for k, v in tally.items() if k != "members"), "members": tally["members"],
            "by_status": {k: v for k, v in sorted(tally.items()) if k != "members"}}
        audit_record(by=by, action=DEMO_ACTION, object_type="kandas.application", after=counts)
    return {**counts, "created": True}
