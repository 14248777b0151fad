"""An audit trail as a person reads it: what happened, who did it, when, why, and each value before and after,
with field names and values (regions, countries, choices, dates) in the user's language."""

from collections.abc import Iterable
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from koshiqon.core.models import AuditEvent
from koshiqon.people.models import DocumentKind, IdentityDocument, Person, Relation, Sex
from koshiqon.reference.models import Country, Region
from koshiqon.web.labels import action_label
from koshiqon.web.templatetags.kz import kzdate

EXTRA_LABELS = {
    "kept": _("kept record"),
    "duplicate": _("merged record"),
    "filled_from_duplicate": _("details filled from the merged record"),
    "documents_moved": _("documents moved"),
    "duplicate_id": _("merged record number"),
    "merged_into": _("merged into record number"),
    "person": _("person (record number)"),
    "head": _("head of family (record number)"),
    "name": _("family name"),
    "relation": _("relation"),
    "id": _("record number"),
    "deleted_at": _("archived at"),
    "deletion_reason": _("reason for archiving"),
}
CHOICES = {"sex": dict(Sex.choices), "kind": dict(DocumentKind.choices), "relation": dict(Relation.choices)}
SKIP = {"id", "created_at", "updated_at", "name_key", "created_by_id", "deleted_by_id", "mrz"}


def _field_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for model in (Person, IdentityDocument):
        for f in model._meta.concrete_fields:
            labels.setdefault(f.attname, f.verbose_name)
            labels.setdefault(f.name, f.verbose_name)
    return labels


def _value(key: str, value, lookups: dict) -> str:
    if value in (None, "", []):
        return "—"
    if key in ("region_id", "region") and isinstance(value, int | str):
        return lookups["regions"].get(value, str(value))
    if key in ("citizenship_id", "issuing_country_id"):
        return lookups["countries"].get(value, str(value))
    if key in CHOICES:
        return str(CHOICES[key].get(value, value))
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return kzdate(date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(_value(key, v, lookups) for v in value)
    return str(value)


def _changes(before: dict | None, after: dict | None, labels: dict, lookups: dict, prefix: str = "") -> list[dict]:
    before, after = before or {}, after or {}
    rows = []
    for key in list(dict.fromkeys([*before, *after])):
        if key in SKIP:
            continue
        b, a = before.get(key), after.get(key)
        label = str(labels.get(key) or EXTRA_LABELS.get(key) or key)
        if isinstance(b, dict) or isinstance(a, dict):
            rows += _changes(b if isinstance(b, dict) else None, a if isinstance(a, dict) else None, labels,
                             lookups, prefix=f"{prefix}{label}: ")
            continue
        if b in (None, "", []) and a in (None, "", []):
            continue  # nothing was there and nothing is: not a change worth a line
        rows.append({
            "field": prefix + label,
            "before": _value(key, b, lookups) if key in before else None,
            "after": _value(key, a, lookups) if key in after else None,
        })
    return rows


def describe_events(events: Iterable[AuditEvent]) -> list[dict]:
    events = list(events)
    labels = _field_labels()
    region_keys, country_ids = set(), set()
    for e in events:
        for data in (e.before or {}, e.after or {}, *(v for v in (e.before or {}).values() if isinstance(v, dict)),
                     *(v for v in (e.after or {}).values() if isinstance(v, dict))):
            region_keys |= {data.get("region_id"), data.get("region")}
            country_ids |= {data.get("citizenship_id"), data.get("issuing_country_id")}
    ids = {k for k in region_keys if isinstance(k, int)}
    codes = {k for k in region_keys if isinstance(k, str)}
    regions = Region.objects.filter(Q(id__in=ids) | Q(code__in=codes)).prefetch_related("names")
    lookups = {
        "regions": {key: r.name for r in regions for key in (r.id, r.code)},
        "countries": {c.id: c.name for c in Country.objects.filter(id__in=country_ids - {None})},
    }
    return [
        {"event": e, "label": action_label(e.action), "changes": _changes(e.before, e.after, labels, lookups)}
        for e in events
    ]
