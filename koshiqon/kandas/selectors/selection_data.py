"""Loading a year's applications in bulk as the columns that the grid scores and the ranking fills.

A selection run takes every eligible application of a year at once (100,000 in the benchmark), so the
applications and their members are read with two queries of plain values, never one query per application;
the features are built by the same pure function as for a single application
(koshiqon.kandas.domain.features), under the rules version each application is handled by: its own, or the
one in force on its application date. Scoring and ranking are vectorised (domain.scoring, domain.ranking).
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from django.db.models import Count, QuerySet
from django.utils import timezone

from koshiqon.core.domain.policy import in_force
from koshiqon.core.policy import policy_doc, policy_versions
from koshiqon.kandas.domain.features import MemberFacts, NoHeadError, application_features
from koshiqon.kandas.domain.grid import Grid, as_text
from koshiqon.kandas.domain.policy import RULES_KIND, Rules, rules_from
from koshiqon.kandas.domain.ranking import Quota, Ranking, rank
from koshiqon.kandas.domain.scoring import MissingFeatureError, Scores, score_rows
from koshiqon.kandas.models import ApplicantMember, Application, QuotaPlan
from koshiqon.reference.models import EducationLevel, Occupation, Region

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
NO_HEAD = "no_head"
NO_RULES = "no_rules"


@dataclass
class SelectionData:
    """The applications of one selection, one entry per application in every list and array."""

    ids: np.ndarray
    numbers: list[str]
    regions: np.ndarray
    applied_at: np.ndarray  # microseconds since 1970, for the tie-break
    sizes: np.ndarray
    rows: list[dict[str, Any]]
    education: list[str]
    origin: list[str]
    # Applications whose features cannot be built (no head of family, no rules version): ineligible.
    problems: dict[int, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.numbers)

    def columns(self, fields: list[str]) -> dict[str, np.ndarray]:
        """One column per field: numbers as floats when every value is a number, else text."""
        out = {}
        for name in fields:
            try:
                values = [row[name] for row in self.rows]
            except KeyError:
                raise MissingFeatureError(name) from None
            if values and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
                out[name] = np.array(values, dtype=np.float64)
            else:
                out[name] = np.array([as_text(v) for v in values], dtype=np.str_)
        return out

    def index_of(self) -> dict[int, int]:
        return {int(pk): i for i, pk in enumerate(self.ids.tolist())}


def _rules_lookup():
    """A function (version id or None, application date) -> Rules, reading the versions once."""
    versions = list(policy_versions(kind=RULES_KIND))
    docs = [policy_doc(v) for v in versions]
    id_of = {v.code: v.pk for v in versions}
    by_id = {v.pk: doc for v, doc in zip(versions, docs, strict=True)}
    parsed: dict[int, Rules] = {}

    def lookup(version_id: int | None, on) -> Rules | None:
        doc = by_id.get(version_id) if version_id else in_force(docs, RULES_KIND, on)
        if doc is None:
            return None
        pk = id_of[doc.code]
        if pk not in parsed:
            parsed[pk] = rules_from(doc.parameters)
        return parsed[pk]

    return lookup


def _members(applications: QuerySet[Application]) -> dict[int, list[MemberFacts]]:
    out: dict[int, list[MemberFacts]] = defaultdict(list)
    rows = ApplicantMember.objects.filter(application__in=applications.values("pk")).values_list(
        "application_id", "relation", "person__birth_date", "education__code", "occupation__code",
        "experience_years", "kazakh",
    )
    for app_id, relation, birth, education, occupation, experience, kazakh in rows.iterator(chunk_size=20_000):
        out[app_id].append(MemberFacts(relation, birth, education or "", occupation or "", experience, kazakh))
    return out


def selection_data(applications: QuerySet[Application], progress=None) -> SelectionData:
    """Read `applications` (any queryset of applications) and build their features, in id order."""
    apps = list(
        applications.order_by("pk").values_list(
            "pk", "number", "region__code", "applied_at", "priority", "rules_version_id", "head__citizenship__alpha2"
        )
    )
    members = _members(applications)
    rules_for = _rules_lookup()
    rows, education, origin, problems = [], [], [], {}
    sizes = np.empty(len(apps), dtype=np.int64)
    stamps = np.empty(len(apps), dtype=np.int64)
    for i, (pk, _number, region, applied_at, priority, rules_id, country) in enumerate(apps):
        local = timezone.localtime(applied_at)
        facts = members.get(pk, [])
        sizes[i] = max(1, len(facts))
        stamps[i] = (applied_at - EPOCH) // timedelta(microseconds=1)
        origin.append(country or "")
        rules = rules_for(rules_id, local.date())
        row: dict[str, Any] = {}
        if rules is None:
            problems[pk] = NO_RULES
        else:
            try:
                row = application_features(region=region, applied_at=local, members=facts, priority=priority,
                                           rules=rules)
            except NoHeadError:
                problems[pk] = NO_HEAD
        rows.append(row)
        education.append(row.get("education", ""))
        if progress is not None and i % 5000 == 0:
            progress(i, len(apps))
    return SelectionData(
        ids=np.array([a[0] for a in apps], dtype=np.int64),
        numbers=[a[1] for a in apps],
        regions=np.array([a[2] for a in apps], dtype=np.str_),
        applied_at=stamps,
        sizes=sizes,
        rows=rows,
        education=education,
        origin=origin,
        problems=problems,
    )


GRANTED = ("included", "status_granted")


def quota_used(plan: QuotaPlan) -> dict[str, int]:
    """Places of the plan's year already taken by families included (or granted status) earlier: by region,
    in the plan's unit (families, or the persons of those families)."""
    granted = Application.objects.filter(year=plan.year, status__in=GRANTED)
    if plan.unit == "families":
        rows = granted.values_list("region__code").annotate(n=Count("pk"))
    else:
        rows = (ApplicantMember.objects.filter(application__in=granted.values("pk"))
                .values_list("application__region__code").annotate(n=Count("pk")))
    return dict(rows)


def selection_date(year: int, today: date | None = None) -> date:
    """The date whose grid a run of `year` uses: today while the quota year runs, its first day before it
    starts and its last day after it ends (a run of a past year is decided under that year's grid)."""
    today = today or timezone.localdate()
    return min(max(today, date(year, 1, 1)), date(year, 12, 31))



def plan_quotas(plan: QuotaPlan, *, free_only: bool = True) -> dict[str, Quota]:
    """Each region's quota for a selection: what is still free of it (`free_only`), or all of it."""
    used = quota_used(plan) if free_only else {}
    return {
        code: Quota(max(0, amount - used.get(code, 0)), plan.unit)
        for code, amount in plan.regional.values_list("region__code", "amount")
    }


def score_and_rank(data: SelectionData, grid: Grid, quotas: Mapping[str, Quota]) -> tuple[Scores, Ranking]:
    """Score every application with the grid (vectorised) and fill the regional quotas in rank order.
    Applications whose features could not be built score nothing and are ineligible."""
    missing = {f: ("" if f not in ("experience_years", "age", "size") else 0) for f in grid.fields}
    if data.problems:
        for i, pk in enumerate(data.ids.tolist()):
            if pk in data.problems:
                data.rows[i] = {**missing, **data.rows[i]}
    scores = score_rows(grid, data.columns(grid.fields))
    eligible = scores.eligible.copy()
    if data.problems:
        bad = np.isin(data.ids, np.array(list(data.problems), dtype=np.int64))
        eligible &= ~bad
    ranking = rank(data.ids, data.regions, data.applied_at, data.sizes, scores.total, eligible, quotas)
    return scores, ranking


def value_names() -> dict[str, dict[str, dict[str, str]]]:
    """Names of the coded values an explanation shows, by language, then field, then code: education levels,
    occupations and regions, so that "education: 6" reads "education: bachelor's or equivalent (6)"."""
    out: dict[str, dict[str, dict[str, str]]] = {lang: defaultdict(dict) for lang in ("kk", "ru", "en")}
    for code, kk, ru, en in EducationLevel.objects.values_list("code", "name_kk", "name_ru", "name_en"):
        for lang, name in (("kk", kk), ("ru", ru), ("en", en)):
            out[lang]["education"][code] = name
    for code, kk, ru, en in Occupation.objects.values_list("code", "name_kk", "name_ru", "name_en"):
        for lang, name in (("kk", kk), ("ru", ru), ("en", en)):
            out[lang]["occupation"][code] = name
    today = timezone.localdate()
    for region in Region.objects.prefetch_related("names"):
        for lang in ("kk", "ru", "en"):
            out[lang]["region"][region.code] = region.name_on(today, lang)
    return {lang: dict(fields) for lang, fields in out.items()}
