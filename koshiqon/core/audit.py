"""Writing and verifying the audit chain.

Every service calls `audit_record` inside its own transaction, so the event commits or rolls back with the
change it describes. Writers queue on the chain head row (SELECT ... FOR UPDATE on PostgreSQL; SQLite runs
write transactions one at a time already), so sequence numbers have no gaps and links never fork.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from koshiqon.core.domain.audit import GENESIS, BrokenLink, ChainLink, chain_hash, verify_chain
from koshiqon.core.models import AccessEvent, AuditEvent, AuditHead


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    return value


def snapshot(instance: Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The stored values of a record's concrete fields, in a form that JSON and the hash can hold."""
    out = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        out[field.attname] = jsonable(getattr(instance, field.attname))
    return out


def _content(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "region_code": event.region_code,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
    }


def object_key(obj: Model) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


@dataclass(frozen=True)
class AuditItem:
    """One event of a batch written by `audit_record_many`."""

    action: str
    object_type: str
    object_id: str
    region_code: str = ""
    before: dict | None = None
    after: dict | None = None
    reason: str = ""


def _append(by, items: list[AuditItem]) -> list[AuditEvent]:
    if not connection.in_atomic_block:
        raise RuntimeError("audit events must be written inside the transaction of the change they record")
    head, _ = AuditHead.objects.select_for_update().get_or_create(id=1, defaults={"seq": 0, "hash": GENESIS})
    actor = by if getattr(by, "pk", None) else None
    label = by.get_username() if actor else str(by or "system")
    now, seq, prev, events = timezone.now(), head.seq, head.hash, []
    for item in items:
        seq += 1
        event = AuditEvent(
            seq=seq, occurred_at=now, actor=actor, actor_label=label, action=item.action,
            object_type=item.object_type, object_id=str(item.object_id), region_code=item.region_code or "",
            before=jsonable(item.before) if item.before is not None else None,
            after=jsonable(item.after) if item.after is not None else None,
            reason=item.reason or "", prev_hash=prev,
        )
        event.hash = prev = chain_hash(prev, _content(event))
        events.append(event)
    if len(events) == 1:
        events[0].save(force_insert=True)
    else:
        AuditEvent.objects.bulk_create(events, batch_size=2000)
    head.seq, head.hash = seq, prev
    head.save(update_fields=["seq", "hash"])
    return events


def audit_record(
    *,
    by,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str = "",
    region_code: str = "",
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the chain. Must run inside the transaction of the change it records."""
    if obj is not None:
        object_type, object_id = object_key(obj)
    item = AuditItem(action, object_type, str(object_id), region_code, before, after, reason)
    return _append(by, [item])[0]


def audit_record_many(*, by, items: list[AuditItem]) -> list[AuditEvent]:
    """Append many events at once (a selection's decisions): one lock of the head, one bulk insert. Must run
    inside the transaction of the changes they record."""
    return _append(by, items) if items else []


def _links(batch: int = 5000) -> Iterator[ChainLink]:
    last = 0
    while True:
        rows = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq")[:batch])
        if not rows:
            return
        for event in rows:
            # Content is rebuilt from the stored row, as read back from the database.
            yield ChainLink(event.seq, event.prev_hash, event.hash, _content(event))
        last = rows[-1].seq


def audit_verify() -> BrokenLink | None:
    """The first broken link of the chain, or None when every event is as it was written."""
    broken = verify_chain(_links())
    if broken:
        return broken
    head = AuditHead.objects.filter(id=1).first()
    last = AuditEvent.objects.order_by("-seq").first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    last_seq, last_hash = (last.seq, last.hash) if last else (0, GENESIS)
    if (head_seq, head_hash) != (last_seq, last_hash):
        return BrokenLink(last_seq + 1, f"the chain ends at event {last_seq} but its head records event {head_seq}")
    return None


@transaction.atomic
def access_record(*, user, obj: Model, channel: str, path: str) -> None:
    """Log a read of a person's record (who, when, what, where from)."""
    object_type, object_id = object_key(obj)
    AccessEvent.objects.create(user=user, object_type=object_type, object_id=object_id, channel=channel, path=path[:300])


@transaction.atomic
def access_record_many(*, user, object_type: str, object_ids, channel: str, path: str) -> int:
    """Log a bulk read (an export, a printed list) as one read per record shown."""
    events = [
        AccessEvent(user=user, object_type=object_type, object_id=str(i), channel=channel, path=path[:300])
        for i in sorted(set(object_ids))
    ]
    AccessEvent.objects.bulk_create(events, batch_size=2000)
    return len(events)
