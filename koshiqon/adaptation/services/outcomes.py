"""Recording outcomes: employment of each working-age member at 3, 6 and 12 months after arrival, and at
12 months whether they still live in the settlement region (domain/outcomes.py holds the rules).

One engine serves the entry form of a plan, the API, the import of a file and other parts of the system
(placement generates the history of demo families through `outcomes_record_many`): every row is resolved
and checked first, and if any row is wrong nothing is saved and every problem is reported with its row.
A row for a person and checkpoint already recorded replaces it (a correction); the audit keeps the values
before and after. A user needs the right to change plans and may record only on plans at their centres; the
system records with a label as `by`.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiqon.adaptation.access import is_system, plans_in_scope, require_right
from koshiqon.adaptation.domain.outcomes import OutcomeValues, outcome_problems
from koshiqon.adaptation.messages import outcome_message
from koshiqon.adaptation.models import Outcome, OutcomeSource, Plan
from koshiqon.core.audit import AuditItem, audit_record_many, snapshot
from koshiqon.core.domain.permissions import Perm
from koshiqon.people.models import FamilyMember, Person

OUTCOME_FIELDS = ["plan", "person", "months", "employed", "sector", "stayed_in_region", "source"]
VALUE_FIELDS = ("employed", "sector", "stayed_in_region")
RENAME = {"stayed": "stayed_in_region"}


@dataclass
class Resolved:
    """A row of input with its plan and person found and its values cleaned."""

    index: int
    plan: Plan
    person: Person
    months: int
    employed: str
    sector: str
    stayed_in_region: str


@dataclass
class RecordResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    outcomes: list[Outcome] = field(default_factory=list)


def _text(value: Any) -> str:
    return str(value or "").strip()


def _plans(rows: Sequence[Mapping[str, Any]], by) -> dict[Any, Plan]:
    """The plans the rows name (a Plan, an id or a number), among those the user may change."""
    ids, numbers = set(), set()
    for row in rows:
        value = row.get("plan")
        if isinstance(value, Plan):
            ids.add(value.pk)
        elif isinstance(value, int):
            ids.add(value)
        elif _text(value):
            numbers.add(_text(value).upper())
    qs = Plan.objects.select_related("centre__region", "family") if is_system(by) else plans_in_scope(by)
    found = qs.select_related("centre__region", "family").filter(Q(pk__in=ids) | Q(number__in=numbers))
    out: dict[Any, Plan] = {}
    for plan in found:
        out[plan.pk] = out[plan.number] = plan
    return out


def _plan_of(value: Any, plans: dict[Any, Plan]) -> Plan | None:
    if isinstance(value, Plan):
        return plans.get(value.pk)
    if isinstance(value, int):
        return plans.get(value)
    return plans.get(_text(value).upper())


def outcomes_check(
    *, rows: Sequence[Mapping[str, Any]], by, today: date | None = None,
    on_row: Callable[[int], None] | None = None,
) -> tuple[list[Resolved], dict[str, list[str]]]:
    """Resolve and check the rows without saving: the rows that pass, and the problems keyed
    "rows.<index>.<field>" (plan, person, months, employed, sector, stayed_in_region). `on_row(done)` is
    called after each row (an import's job reports its progress with it)."""
    require_right(by, Perm.ADAPTATION_CHANGE)
    today = today or timezone.localdate()
    plans = _plans(rows, by)
    families = {p.family_id for p in plans.values()}
    members: dict[int, dict[int, Person]] = {}
    for m in FamilyMember.objects.filter(family_id__in=families).select_related("person"):
        members.setdefault(m.family_id, {})[m.person_id] = m.person
    errors: dict[str, list[str]] = {}
    resolved: list[Resolved] = []
    seen: dict[tuple[int, int, int], int] = {}
    for i, row in enumerate(rows):
        if on_row is not None and i:
            on_row(i)
        key = f"rows.{i}"

        def add(name: str, message: str, key: str = key) -> None:
            errors.setdefault(f"{key}.{name}", []).append(message)

        plan = _plan_of(row.get("plan"), plans)
        if plan is None:
            add("plan", _("There is no such plan at your centres."))
            continue
        family = members.get(plan.family_id, {})
        value = row.get("person")
        person_id = value.pk if isinstance(value, Person) else value
        iin = _text(row.get("iin"))
        person = family.get(person_id) if person_id else next((p for p in family.values() if iin and p.iin == iin), None)
        if person is None or (iin and person.iin != iin):
            add("person", _("This person is not a member of the family."))
            continue
        try:
            months = int(row.get("months"))
        except (TypeError, ValueError):
            months = 0
        values = OutcomeValues(months=months, employed=_text(row.get("employed")),
                               sector=_text(row.get("sector")).upper(), stayed=_text(row.get("stayed_in_region")))
        problems = outcome_problems(values, arrival=plan.arrival_date, birth=person.birth_date, sex=person.sex,
                                    today=today)
        for name, problem in problems.items():
            add(RENAME.get(name, name), outcome_message(problem, months=months))
        if (plan.pk, person.pk, months) in seen:
            add("months", _("The same person and checkpoint are given twice (also in row %(row)s).")
                % {"row": seen[(plan.pk, person.pk, months)] + 1})
        seen.setdefault((plan.pk, person.pk, months), i)
        if not problems:
            resolved.append(Resolved(i, plan, person, months, values.employed, values.sector, values.stayed))
    if on_row is not None and rows:
        on_row(len(rows))
    return resolved, errors


def _item(outcome: Outcome, action: str, before: dict | None) -> AuditItem:
    return AuditItem(action, "adaptation.outcome", str(outcome.pk), outcome.plan.centre.region.code, before,
                     snapshot(outcome, OUTCOME_FIELDS))


@transaction.atomic
def outcomes_record_many(
    *, rows: Sequence[Mapping[str, Any]], by, source: str = OutcomeSource.ENTRY, today: date | None = None
) -> RecordResult:
    """Record many outcomes at once, all or none. Each row: `plan` (a Plan, its id or its number), `person`
    (a Person or its id) or `iin`, `months` (3, 6 or 12), `employed` (yes, no, unknown), `sector` (A-U,
    optional, employed only), `stayed_in_region` (yes, no, unknown; 12 months only, optional). Raises
    ValidationError keyed "rows.<index>.<field>" when any row is wrong. Audited in one batch
    (audit_record_many): one event per outcome created or changed."""
    if source not in OutcomeSource.values:
        raise ValueError(f"unknown outcome source {source!r}")
    resolved, errors = outcomes_check(rows=rows, by=by, today=today)
    if errors:
        raise ValidationError(errors)
    result = RecordResult()
    if not resolved:
        return result
    existing = {
        (o.plan_id, o.person_id, o.months): o
        for o in Outcome.objects.select_for_update().filter(
            plan_id__in={r.plan.pk for r in resolved}, person_id__in={r.person.pk for r in resolved})
    }
    actor = None if is_system(by) else by
    new, changed, befores = [], [], {}
    for r in resolved:
        outcome = existing.get((r.plan.pk, r.person.pk, r.months))
        values = {"employed": r.employed, "sector": r.sector, "stayed_in_region": r.stayed_in_region}
        if outcome is None:
            outcome = Outcome(plan=r.plan, person=r.person, months=r.months, source=source, recorded_by=actor, **values)
            new.append(outcome)
        elif any(getattr(outcome, k) != v for k, v in values.items()):
            befores[outcome.pk] = snapshot(outcome, OUTCOME_FIELDS)
            for k, v in values.items():
                setattr(outcome, k, v)
            outcome.source, outcome.recorded_by, outcome.updated_at = source, actor, timezone.now()
            outcome.plan = r.plan
            changed.append(outcome)
        else:
            result.unchanged += 1
            continue
        result.outcomes.append(outcome)
    created = Outcome.objects.bulk_create(new, batch_size=1000)
    if any(o.pk is None for o in created):  # a database that returns no ids from a bulk insert
        ids = {(o.plan_id, o.person_id, o.months): o.pk for o in Outcome.objects.filter(
            plan_id__in={o.plan_id for o in created}, person_id__in={o.person_id for o in created})}
        for o in created:
            o.pk = ids[(o.plan_id, o.person_id, o.months)]
    Outcome.objects.bulk_update(changed, [*VALUE_FIELDS, "source", "recorded_by", "updated_at"], batch_size=1000)
    result.created, result.updated = len(created), len(changed)
    audit_record_many(by=by, items=[_item(o, "adaptation.outcome.record", None) for o in created]
                      + [_item(o, "adaptation.outcome.correct", befores[o.pk]) for o in changed])
    return result


def outcome_record(
    *, plan: Plan, person: Person, months: int, employed: str, by, sector: str = "", stayed_in_region: str = "",
    source: str = OutcomeSource.ENTRY, today: date | None = None,
) -> Outcome | None:
    """One outcome (see outcomes_record_many); errors are keyed by field. Returns the outcome, or None when
    it was already recorded with the same values."""
    row = {"plan": plan, "person": person, "months": months, "employed": employed, "sector": sector,
           "stayed_in_region": stayed_in_region}
    try:
        result = outcomes_record_many(rows=[row], by=by, source=source, today=today)
    except ValidationError as exc:
        raise ValidationError({name.removeprefix("rows.0."): messages for name, messages in exc.message_dict.items()})
    return result.outcomes[0] if result.outcomes else None
