"""Writing and verifying the audit chain.

Every service calls `audit_record` inside its own transaction, so the event commits or rolls back with the
change it describes. The log is LANES independent chains (ADR 0002, "Lanes"): a writer takes a lane whose head
row no other transaction holds (SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL), so concurrent writers do
not queue on one row, and within a lane sequence numbers have no gaps and links never fork.
SQLite runs write transactions one at a time already and ignores the row locks: it always writes lane 1.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from koshiqon.core.domain.audit import GENESIS, BrokenLink, ChainLink, chain_hash, verify_chain
from koshiqon.core.models import AccessEvent, AuditEvent, AuditHead
from koshiqon.core.rows import insert_sql, saved


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


# Enough lanes that the writers of a busy server (workers x threads, plus jobs) rarely find them all taken.
LANES = 16


def _content(event: AuditEvent) -> dict[str, Any]:
    # Lane 1 is the chain written before lanes existed: its content keeps the old form, so its hashes still hold.
    lane = {"lane": event.lane} if event.lane != 1 else {}
    return {
        **lane,
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


# The lane this connection wrote last comes first: within a transaction it is the lane already held (never
# skipped, so the transaction's events stay in one lane and it holds one lane only); across transactions each
# connection keeps to its own lane when it is free. A stale hint is harmless: it is only a preference.
_FREE_LANE = ("SELECT id, seq, hash FROM core_audithead ORDER BY id = %s DESC, id FOR UPDATE SKIP LOCKED "
              "LIMIT 1")
_CREATE_LANES = ("INSERT INTO core_audithead (id, seq, hash) SELECT g, 0, %s FROM generate_series(1, %s) AS g "
                 "ON CONFLICT (id) DO NOTHING")


def _lane_head() -> tuple[int, int, str]:
    """Lock a lane's head for this transaction: (lane, its last seq, its last hash).

    PostgreSQL: the lane this connection used last if no other transaction holds it, else the first lane no
    other transaction holds. A lane this transaction already holds is never skipped, so a second audit call in
    the same transaction takes the same lane without waiting (and never deadlocks); only a transaction holding
    no lane waits, when every lane is busy, and then on a random one. Heads are created when missing (a fresh
    or flushed database). Elsewhere: lane 1, as before lanes."""
    if connection.vendor != "postgresql":
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1, defaults={"seq": 0, "hash": GENESIS})
        return 1, head.seq, head.hash
    hint = getattr(connection, "audit_lane_hint", 1)
    with connection.cursor() as cursor:
        cursor.execute(_FREE_LANE, [hint])
        row = cursor.fetchone()
        if row is None:
            cursor.execute(_CREATE_LANES, [GENESIS, LANES])
            cursor.execute(_FREE_LANE, [hint])
            row = cursor.fetchone()
        if row is None:  # every lane busy: queue on one of them
            cursor.execute("SELECT id, seq, hash FROM core_audithead WHERE id = %s FOR UPDATE",
                           [random.randint(1, LANES)])  # noqa: S311 (spreading load, not security)
            row = cursor.fetchone()
    connection.audit_lane_hint = row[0]
    return row[0], row[1], row[2]


def _append(by, items: list[AuditItem]) -> list[AuditEvent]:
    if not connection.in_atomic_block:
        raise RuntimeError("audit events must be written inside the transaction of the change they record")
    lane, seq, prev = _lane_head()
    actor = by if getattr(by, "pk", None) else None
    label = by.get_username() if actor else str(by or "system")
    now, events = timezone.now(), []
    for item in items:
        seq += 1
        event = AuditEvent(
            lane=lane, seq=seq, occurred_at=now, actor=actor, actor_label=label, action=item.action,
            object_type=item.object_type, object_id=str(item.object_id), region_code=item.region_code or "",
            before=jsonable(item.before) if item.before is not None else None,
            after=jsonable(item.after) if item.after is not None else None,
            reason=item.reason or "", prev_hash=prev,
        )
        event.hash = prev = chain_hash(prev, _content(event))
        events.append(event)
    if connection.vendor == "postgresql" and len(events) <= 100:
        _insert_and_move_head(events, lane)
        return events
    if len(events) == 1:
        events[0].save(force_insert=True)
    else:
        AuditEvent.objects.bulk_create(events, batch_size=2000)
    AuditHead.objects.filter(id=lane).update(seq=events[-1].seq, hash=events[-1].hash)
    return events


def _insert_and_move_head(events: list[AuditEvent], lane: int) -> None:
    """Insert the events and move the lane's head to the last of them in one statement (one round trip less
    while the lane is held); the events get their ids as with `bulk_create`."""
    insert, params = insert_sql(events)
    # The INSERT's values are parameters: nothing from the events is spliced in.
    sql = (f"WITH ins AS ({insert}), head AS (UPDATE core_audithead SET seq = %s, hash = %s WHERE id = %s) "  # noqa: S608
           "SELECT id FROM ins")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, events[-1].seq, events[-1].hash, lane])
        ids = sorted(row[0] for row in cursor.fetchall())
    for event, pk in zip(events, ids, strict=True):
        saved(event, pk)


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


def _links(lane: int, batch: int = 5000) -> Iterator[ChainLink]:
    last = 0
    while True:
        rows = list(AuditEvent.objects.filter(lane=lane, seq__gt=last).order_by("seq")[:batch])
        if not rows:
            return
        for event in rows:
            # Content is rebuilt from the stored row, as read back from the database.
            yield ChainLink(event.seq, event.prev_hash, event.hash, _content(event))
        last = rows[-1].seq


def audit_verify() -> BrokenLink | None:
    """The first broken link of the first broken lane (its `lane` and `seq`), or None when every event of
    every lane is as it was written and each lane ends where its head says."""
    heads = {h.id: (h.seq, h.hash) for h in AuditHead.objects.all()}
    lanes = sorted(set(heads) | set(AuditEvent.objects.order_by().values_list("lane", flat=True).distinct()))
    for lane in lanes:
        broken = verify_chain(_links(lane))
        if broken:
            return replace(broken, lane=lane)
        last = AuditEvent.objects.filter(lane=lane).order_by("-seq").first()
        head_seq, head_hash = heads.get(lane, (0, GENESIS))
        last_seq, last_hash = (last.seq, last.hash) if last else (0, GENESIS)
        if (head_seq, head_hash) != (last_seq, last_hash):
            return BrokenLink(last_seq + 1, f"the chain ends at event {last_seq} but its head records event {head_seq}",
                              lane=lane)
    return None


@transaction.atomic
def access_record(*, user, obj: Model, channel: str, path: str) -> None:
    """Log a read of a person's record (who, when, what, where from)."""
    object_type, object_id = object_key(obj)
    AccessEvent.objects.create(user=user, object_type=object_type, object_id=object_id, channel=channel, path=path[:300])


@transaction.atomic
def persons_read(request, person_ids, *, channel: str = "page") -> None:
    """A page or an API answer that names persons: each one shown is a read of that person's record, logged in
    one bulk write (nothing when nobody is shown), as the page's user or the API token's."""
    ids = list(person_ids)
    if ids:
        user = getattr(request, "auth", None) or request.user
        access_record_many(user=user, object_type="people.person", object_ids=ids, channel=channel,
                           path=request.get_full_path())


def access_record_many(*, user, object_type: str, object_ids, channel: str, path: str) -> int:
    """Log a bulk read (an export, a printed list) as one read per record shown."""
    events = [
        AccessEvent(user=user, object_type=object_type, object_id=str(i), channel=channel, path=path[:300])
        for i in sorted(set(object_ids))
    ]
    AccessEvent.objects.bulk_create(events, batch_size=2000)
    return len(events)
