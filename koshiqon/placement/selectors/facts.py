"""What the outcome model reads of families, built in bulk from the database: kandas applications (the
families of a batch, or past families with recorded outcomes) and the training history (PastArrival).

Two queries for any number of applications (the applications, then all their members), never one per
family; the facts are the pure domain's (koshiqon.placement.domain.features). Ages are counted on the
arrival date, as the model was trained on ages on arrival.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from koshiqon.kandas.domain.procedure import age_on
from koshiqon.kandas.models import ApplicantMember, Application
from koshiqon.placement.domain.features import FamilyFacts, MemberFacts, Outcome
from koshiqon.placement.models import PastArrival


def application_members(application_ids: Iterable[int]) -> dict[int, list[dict]]:
    """{application id: its members in the order they were entered}, as plain values."""
    out: dict[int, list[dict]] = defaultdict(list)
    rows = (
        ApplicantMember.objects.filter(application_id__in=list(application_ids)).order_by("application_id", "id")
        .values("application_id", "person_id", "person__birth_date", "person__sex", "education__code",
                "occupation__code", "experience_years", "kazakh", "russian")
    )
    for row in rows.iterator(chunk_size=10_000):
        out[row["application_id"]].append(row)
    return out


def member_facts(row: dict, on: date) -> MemberFacts:
    return MemberFacts(
        age=max(0, age_on(row["person__birth_date"], on)), sex=row["person__sex"] or "M",
        education=row["education__code"] or "", occupation=row["occupation__code"] or "",
        experience_years=float(row["experience_years"] or 0), kazakh=row["kazakh"] or "none",
        russian=row["russian"] or "none",
    )


def application_facts(applications: QuerySet[Application] | Iterable[int], *, on: date | dict[int, date]
                      ) -> dict[int, FamilyFacts]:
    """{application id: the family's facts}: origin is the head's citizenship, size the members moving under
    the application (at least one), ages on `on` (one date, or a date per application)."""
    ids = list(applications.values_list("pk", flat=True)) if isinstance(applications, QuerySet) else list(applications)
    origins = dict(Application.objects.filter(pk__in=ids).values_list("pk", "head__citizenship__alpha2"))
    members = application_members(ids)
    out = {}
    for pk in ids:
        day = on[pk] if isinstance(on, dict) else on
        facts = tuple(member_facts(row, day) for row in members.get(pk, []))
        out[pk] = FamilyFacts(id=str(pk), origin=(origins.get(pk) or "").upper(), size=max(1, len(facts)),
                              members=facts)
    return out


@dataclass
class History:
    """The training history as the domain reads it."""

    families: list[FamilyFacts]
    outcomes: list[Outcome]
    regions: dict[str, str]  # family key -> region settled
    truth: dict[str, str]  # family key -> ground-truth version (demo rows only)
    years: dict[str, int]
    sources: dict[str, str]


def _member(values: dict) -> MemberFacts:
    return MemberFacts(
        age=int(values["age"]), sex=str(values["sex"]), education=str(values.get("education") or ""),
        occupation=str(values.get("occupation") or ""),
        experience_years=float(values.get("experience_years") or 0.0),
        kazakh=str(values.get("kazakh") or "none"), russian=str(values.get("russian") or "none"),
    )


def history(queryset: QuerySet[PastArrival] | None = None) -> History:
    """Every past arrival (or those of `queryset`) as facts and outcomes, in key order."""
    qs = (queryset if queryset is not None else PastArrival.objects.all()).order_by("key")
    out = History([], [], {}, {}, {}, {})
    rows = qs.values_list("key", "origin", "size", "members", "outcomes", "region__code", "truth", "year", "source")
    for key, origin, size, members, outcomes, region, truth, year, source in rows.iterator(chunk_size=5000):
        facts = tuple(_member(m) for m in members)
        out.families.append(FamilyFacts(id=key, origin=origin, size=max(size, len(facts), 1), members=facts))
        out.regions[key], out.years[key], out.sources[key] = region, year, source
        if truth:
            out.truth[key] = truth
        for o in outcomes:
            out.outcomes.append(Outcome(
                family_id=key, member_index=int(o["member_index"]), region=region,
                employed_3m=o.get("employed_3m"), employed_6m=o.get("employed_6m"),
                employed_12m=o.get("employed_12m"), stayed_12m=o.get("stayed_12m"),
            ))
    return out
