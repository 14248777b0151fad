"""Writes on quota plans and the kandas policy data shipped with Koshiqon (`kandas/data/`, see SOURCES.md).

`kandas_data_load` makes the database hold the data files: the quota plans with their regional split, and the
policy versions (criteria grids and procedure rules). It is idempotent: a plan is found by its year and
category, a version by its mechanism and code; a second run creates nothing. Every file is read and checked
before anything is written, and a bad file raises KandasDataError naming each bad row by file and line.
Policy versions are never edited (a changed rule is a new version), so a version whose stored rules differ
from its file is refused; the changes made are closing an open version on the date its file now gives, and
setting the wording of its title and legal act (kk/ru/en) to the file's, which names the rules without changing
them (a database loaded before the wording was trilingual gets its Kazakh and Russian this way).
"""

import csv
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from koshiqon.core.audit import audit_record, snapshot
from koshiqon.core.datafiles import DataFilesError
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.domain.policy import clean_parameters
from koshiqon.core.models import PolicyVersion
from koshiqon.core.permissions import require
from koshiqon.core.policy import (
    parameter_message,
    policy_in_force,
    policy_version_close,
    policy_version_create,
    policy_version_reword,
)
from koshiqon.kandas.domain.policy import GRID_KIND, RULES_KIND, rules_from
from koshiqon.kandas.models import QuotaCategory, QuotaPlan, QuotaUnit, RegionalQuota
from koshiqon.reference.models import Region

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CONFIDENCES = ("H", "M", "L")
PLAN_FIELDS = ["unit", "national_total", "legal_act", "legal_number", "legal_date", "confidence"]
VERSION_FIELDS = ["valid_from", "valid_to", "legal_number", "legal_date", "confidence"]
WORDING_FIELDS = ["title_kk", "title_ru", "title_en", "legal_act_kk", "legal_act_ru", "legal_act_en"]


class KandasDataError(DataFilesError):
    """The kandas data files (quota plans, policy versions) have errors."""


@dataclass
class _Rows:
    name: str
    problems: list[str]
    line: int = 1

    def fail(self, reason: str) -> None:
        self.problems.append(f"{self.name} line {self.line}: {reason}")

    def read(self, data_dir: Path, columns: list[str]) -> list[dict[str, str]]:
        path = data_dir / self.name
        if not path.exists():
            self.fail(_("file not found"))
            return []
        out = []
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            for column in missing:
                self.fail(_("missing column %(column)s") % {"column": column})
            if missing:
                return []
            for row in reader:
                out.append({"_line": reader.line_num, **{k: (v or "").strip() for k, v in row.items() if k}})
        return out

    def number(self, row: dict, column: str, *, required: bool = True) -> int | None:
        value = row[column]
        if not value:
            if required:
                self.fail(_("empty %(column)s") % {"column": column})
            return None
        if not value.isdigit():
            self.fail(_("not a whole number in %(column)s: %(value)s") % {"column": column, "value": value})
            return None
        return int(value)

    def day(self, row: dict, column: str, *, required: bool = False) -> date | None:
        value = row[column]
        if not value:
            if required:
                self.fail(_("empty %(column)s") % {"column": column})
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(_("not a date (YYYY-MM-DD) in %(column)s: %(value)s") % {"column": column, "value": value})
            return None

    def choice(self, row: dict, column: str, choices) -> str:
        value = row[column]
        if value not in choices:
            self.fail(_("%(column)s must be one of %(choices)s, not “%(value)s”")
                      % {"column": column, "choices": ", ".join(choices), "value": value})
        return value


@dataclass
class KandasData:
    plans: list[dict[str, Any]] = field(default_factory=list)  # each with "regional": {region code: amount}
    versions: list[dict[str, Any]] = field(default_factory=list)


def _read_plans(data_dir: Path, problems: list[str], out: KandasData) -> None:
    file = _Rows("quota_plans.csv", problems)
    by_key: dict[tuple[int, str], dict[str, Any]] = {}
    for row in file.read(data_dir, ["year", "category", "unit", "national_total", "legal_act", "legal_number",
                                     "legal_date", "confidence"]):
        file.line = row["_line"]
        plan = {
            "year": file.number(row, "year"),
            "category": file.choice(row, "category", QuotaCategory.values),
            "unit": file.choice(row, "unit", QuotaUnit.values),
            "national_total": file.number(row, "national_total", required=False),
            "legal_act": row["legal_act"],
            "legal_number": row["legal_number"],
            "legal_date": file.day(row, "legal_date"),
            "confidence": file.choice(row, "confidence", CONFIDENCES),
            "regional": {},
            "_line": file.line,
        }
        if not plan["legal_act"]:
            file.fail(_("empty %(column)s") % {"column": "legal_act"})
        key = (plan["year"], plan["category"])
        if key in by_key:
            file.fail(_("a second plan for %(year)s %(category)s") % {"year": key[0], "category": key[1]})
        by_key[key] = plan
    regional = _Rows("regional_quotas.csv", problems)
    for row in regional.read(data_dir, ["year", "category", "region", "amount"]):
        regional.line = row["_line"]
        year, category = regional.number(row, "year"), row["category"]
        amount = regional.number(row, "amount")
        plan = by_key.get((year, category))
        if plan is None:
            regional.fail(_("no plan for %(year)s %(category)s in quota_plans.csv") % {"year": year, "category": category})
        elif row["region"] in plan["regional"]:
            regional.fail(_("a second quota for %(region)s") % {"region": row["region"]})
        elif amount is not None:
            plan["regional"][row["region"]] = amount
    for plan in by_key.values():
        total, split = plan["national_total"], sum(plan["regional"].values())
        if total is not None and split > total:
            file.line = plan["_line"]
            file.fail(_("the regional quotas add up to %(split)s, more than the national total %(total)s")
                      % {"split": split, "total": total})
        if total is None and not plan["regional"]:
            file.line = plan["_line"]
            file.fail(_("a plan needs a national total or a regional split"))
    out.plans = list(by_key.values())


def _read_versions(data_dir: Path, problems: list[str], out: KandasData) -> None:
    file = _Rows("policy_versions.csv", problems)
    seen: set[tuple[str, str]] = set()
    for row in file.read(data_dir, ["kind", "code", "file", *WORDING_FIELDS, "valid_from", "valid_to",
                                     "legal_number", "legal_date", "confidence"]):
        file.line = row["_line"]
        version = {
            "kind": file.choice(row, "kind", (GRID_KIND, RULES_KIND)),
            "code": row["code"],
            **{column: row[column] for column in WORDING_FIELDS},
            "valid_from": file.day(row, "valid_from", required=True),
            "valid_to": file.day(row, "valid_to"),
            "legal_number": row["legal_number"],
            "legal_date": file.day(row, "legal_date"),
            "confidence": file.choice(row, "confidence", CONFIDENCES),
            "_line": file.line,
        }
        # English is optional, as for a version entered by hand.
        for column in ("code", "title_kk", "title_ru", "legal_act_kk", "legal_act_ru", "file"):
            if not row[column]:
                file.fail(_("empty %(column)s") % {"column": column})
        if (version["kind"], version["code"]) in seen:
            file.fail(_("a second version %(code)s") % {"code": version["code"]})
        seen.add((version["kind"], version["code"]))
        path = data_dir / row["file"]
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            file.fail(_("file not found: %(file)s") % {"file": row["file"]})
            continue
        except ValueError as exc:
            file.fail(_("%(file)s is not valid JSON: %(error)s") % {"file": row["file"], "error": exc})
            continue
        cleaned, issues = clean_parameters(version["kind"], raw)
        for issue in issues:
            file.fail(f"{row['file']}: {parameter_message(issue)}")
        if cleaned is not None and version["kind"] == GRID_KIND and version["valid_from"] is not None:
            if cleaned["valid_from"] != version["valid_from"].isoformat():
                file.fail(_("%(file)s says valid_from %(inner)s, the list says %(outer)s")
                          % {"file": row["file"], "inner": cleaned["valid_from"],
                             "outer": version["valid_from"].isoformat()})
        version["parameters"] = cleaned
        out.versions.append(version)


def kandas_data_read(*, data_dir: Path = DATA_DIR) -> KandasData:
    """Parse and check the kandas data files; raise KandasDataError with every problem found."""
    problems: list[str] = []
    out = KandasData()
    _read_plans(data_dir, problems, out)
    _read_versions(data_dir, problems, out)
    if problems:
        raise KandasDataError(problems)
    return out


def _sync_plan(values: dict[str, Any], regions: dict[str, int], counts: dict[str, int]) -> None:
    plan = QuotaPlan.objects.filter(year=values["year"], category=values["category"]).first()
    fields = {name: values[name] for name in PLAN_FIELDS}
    if plan is None:
        plan = QuotaPlan.objects.create(year=values["year"], category=values["category"], **fields)
        counts["plans_created"] += 1
    else:
        changed = [name for name, value in fields.items() if getattr(plan, name) != value]
        if changed:
            for name in changed:
                setattr(plan, name, fields[name])
            plan.save(update_fields=[*changed, "updated_at"])
            counts["plans_updated"] += 1
    existing = {q.region_id: q for q in plan.regional.all()}
    wanted = {regions[code]: amount for code, amount in values["regional"].items()}
    stale = [q.pk for region_id, q in existing.items() if region_id not in wanted]
    if stale:
        RegionalQuota.objects.filter(pk__in=stale).delete()
        counts["regional_changed"] += len(stale)
    for region_id, amount in wanted.items():
        current = existing.get(region_id)
        if current is None:
            RegionalQuota.objects.create(plan=plan, region_id=region_id, amount=amount)
            counts["regional_changed"] += 1
        elif current.amount != amount:
            current.amount = amount
            current.save(update_fields=["amount"])
            counts["regional_changed"] += 1


def _sync_version(values: dict[str, Any], counts: dict[str, int], problems: list[str], by) -> None:
    where = f"policy_versions.csv line {values['_line']}"
    stored = PolicyVersion.objects.filter(kind=values["kind"], code=values["code"]).first()
    if stored is None:
        try:
            policy_version_create(**{k: v for k, v in values.items() if not k.startswith("_")}, by=by)
        except ValidationError as exc:
            problems.extend(f"{where}: {m}" for m in exc.messages)
            return
        counts["versions_created"] += 1
        return
    differs = [name for name in VERSION_FIELDS if getattr(stored, name) != values[name]]
    if stored.parameters != values["parameters"]:
        differs.append("parameters")
    if differs and not (differs == ["valid_to"] and stored.valid_to is None and values["valid_to"] is not None):
        problems.append(
            f"{where}: " + _("version %(code)s is stored with other content (%(fields)s); policy versions are "
                             "never edited: give the changed rules a new code and dates")
            % {"code": values["code"], "fields": ", ".join(differs)}
        )
        return
    try:
        if differs:
            policy_version_close(version=stored, valid_to=values["valid_to"], by=by,
                                 reason=_("Closed by the kandas data files"))
            counts["versions_closed"] += 1
        if any(getattr(stored, name) != values[name] for name in WORDING_FIELDS):
            policy_version_reword(version=stored, **{name: values[name] for name in WORDING_FIELDS}, by=by,
                                  reason=_("Wording set by the kandas data files"))
            counts["versions_reworded"] += 1
    except ValidationError as exc:
        problems.extend(f"{where}: {m}" for m in exc.messages)


@transaction.atomic
def kandas_data_load(*, by, data_dir: Path = DATA_DIR) -> dict[str, int]:
    """Load the quota plans and policy versions of the data files, in one transaction, with one audit event.

    `by` is the user, or a label such as "koshiqon setup" when the system loads its own data; a user needs
    the right to change quotas and policy. Returns the counts of what was created and changed (all zero on a
    second run) and the number of plans and versions afterwards.
    """
    if getattr(by, "pk", None):
        require(by, Perm.QUOTA_CHANGE)
        require(by, Perm.POLICY_CHANGE)
    data = kandas_data_read(data_dir=data_dir)
    regions = dict(Region.objects.values_list("code", "id"))
    missing = sorted({code for plan in data.plans for code in plan["regional"] if code not in regions})
    if missing:
        raise KandasDataError([
            "regional_quotas.csv: " + _("unknown region %(code)s: load the reference data first") % {"code": code}
            for code in missing
        ])
    counts = dict.fromkeys(
        ("plans_created", "plans_updated", "regional_changed", "versions_created", "versions_closed",
         "versions_reworded"), 0
    )
    for plan in data.plans:
        _sync_plan(plan, regions, counts)
    problems: list[str] = []
    # Earlier versions first, so that an open version is closed before the one that follows it is created.
    for version in sorted(data.versions, key=lambda v: (v["kind"], v["valid_from"])):
        _sync_version(version, counts, problems, by)
    if problems:
        raise KandasDataError(problems)
    counts["quota_plans"] = QuotaPlan.objects.count()
    counts["policy_versions"] = PolicyVersion.objects.filter(kind__in=(GRID_KIND, RULES_KIND)).count()
    audit_record(by=by, action="kandas.data.load", object_type="kandas.dataset", object_id="kandas",
                 after=counts, reason="Kandas quota plans and policy versions loaded from the data files")
    return counts


def _quota_errors(year, category, unit, national_total, regional, legal_act, rules_unit) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not isinstance(year, int) or not 1991 <= year <= 2100:
        add("year", _("Enter a year between 1991 and 2100."))
    elif QuotaPlan.objects.filter(year=year, category=category).exists():
        add("year", _("A plan for this year and category already exists."))
    if category not in QuotaCategory.values:
        add("category", _("Choose kandas or settlers."))
    if unit is None and rules_unit is None:
        add("unit", _("Choose the unit: no rules version in force that year says it."))
    elif unit is not None and unit not in QuotaUnit.values:
        add("unit", _("Choose families or persons."))
    elif unit is not None and rules_unit is not None and unit != rules_unit:
        add("unit", _("The rules in force that year count the quota in %(unit)s.") % {"unit": rules_unit})
    if national_total is not None and national_total < 0:
        add("national_total", _("A quota cannot be negative."))
    if national_total is None and not regional:
        add("regional", _("Give a national total or a split by region."))
    if any(amount < 0 for amount in regional.values()):
        add("regional", _("A quota cannot be negative."))
    elif national_total is not None and sum(regional.values()) > national_total:
        add("regional", _("The regional quotas add up to %(split)s, more than the national total %(total)s.")
            % {"split": sum(regional.values()), "total": national_total})
    if not (legal_act or "").strip():
        add("legal_act", _("Name the act that sets the quota."))
    return errors


@transaction.atomic
def quota_plan_create(
    *,
    year: int,
    category: str = QuotaCategory.KANDAS,
    unit: str | None = None,
    national_total: int | None,
    legal_act: str,
    legal_number: str = "",
    legal_date: date | None = None,
    confidence: str = "M",
    regional: dict[str, int] | None = None,
    by,
) -> QuotaPlan:
    """Set the quota of a year: a national total and/or a split by region (ISO code: amount), with its legal
    basis. The unit (families or persons) is the one of the rules version in force on 1 January of the year,
    when there is one; a different unit is refused."""
    require(by, Perm.QUOTA_CHANGE)
    regional = dict(regional or {})
    known_year = isinstance(year, int) and 1 <= year <= 9999
    version = policy_in_force(kind=RULES_KIND, on=date(year, 1, 1)) if known_year else None
    rules_unit = rules_from(version.parameters).quota_unit if version else None
    errors = _quota_errors(year, category, unit, national_total, regional, legal_act, rules_unit)
    regions = {r.code: r for r in Region.objects.filter(code__in=list(regional))}
    unknown = sorted(set(regional) - set(regions))
    if unknown:
        errors.setdefault("regional", []).append(_("Unknown region codes: %(codes)s.") % {"codes": ", ".join(unknown)})
    if confidence not in CONFIDENCES:
        errors.setdefault("confidence", []).append(_("Confidence must be H, M or L."))
    if errors:
        raise ValidationError(errors)
    plan = QuotaPlan.objects.create(
        year=year, category=category, unit=unit or rules_unit, national_total=national_total,
        legal_act=legal_act.strip(), legal_number=legal_number.strip(), legal_date=legal_date, confidence=confidence,
    )
    RegionalQuota.objects.bulk_create(
        [RegionalQuota(plan=plan, region=regions[code], amount=amount) for code, amount in sorted(regional.items())]
    )
    audit_record(by=by, action="kandas.quota_plan.create", obj=plan,
                 after=snapshot(plan) | {"regional": dict(sorted(regional.items()))})
    return plan
