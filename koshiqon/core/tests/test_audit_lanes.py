"""Audit lanes (ADR 0002, "Lanes"): concurrent writers append to independent chains instead of queueing on one
head row, and `audit verify` checks every lane, naming the lane and event of the first broken link."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from koshiqon.core import audit
from koshiqon.core.audit import _content, audit_record, audit_verify
from koshiqon.core.domain.audit import GENESIS, chain_hash
from koshiqon.core.models import AuditEvent, AuditHead

TABLE = AuditEvent._meta.db_table


def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("lanes are taken with SKIP LOCKED on PostgreSQL (run with DATABASE_URL=postgres://...)")


def _forge_lane(lane: int, n: int) -> None:
    """A well-formed chain of `n` events in `lane` with its head, as the writers make it."""
    prev = GENESIS
    for seq in range(1, n + 1):
        event = AuditEvent(lane=lane, seq=seq, actor_label="system", action="test.write", object_type="t",
                           object_id=str(seq), prev_hash=prev)
        event.hash = prev = chain_hash(prev, _content(event))
        event.save(force_insert=True)
    AuditHead.objects.update_or_create(id=lane, defaults={"seq": n, "hash": prev})


def _parallel(n_threads: int, body) -> list[BaseException]:
    """Run `body(i)` in `n_threads` threads, each on its own database connection; the errors raised."""
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            body(i)
        except BaseException as exc:  # noqa: BLE001 (reported to the test)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return errors


def _heads(n: int) -> None:
    """The heads the migration creates (a transactional test starts from flushed tables). Created here, not
    lazily by the first writers: a head a writer creates stays uncommitted until its transaction ends."""
    AuditHead.objects.bulk_create([AuditHead(id=i, seq=0, hash=GENESIS) for i in range(1, n + 1)])


def _write(n: int) -> None:
    for i in range(n):
        with transaction.atomic():
            audit_record(by=None, action="test.write", object_type="t", object_id=str(i))


@pytest.mark.django_db
def test_lane_one_hashes_its_content_as_before_lanes_and_other_lanes_include_their_lane():
    one = AuditEvent(lane=1, seq=1, actor_label="system", action="a", object_type="t", object_id="1")
    two = AuditEvent(lane=2, seq=1, actor_label="system", action="a", object_type="t", object_id="1")
    assert "lane" not in _content(one)
    assert _content(two)["lane"] == 2


@pytest.mark.django_db
def test_verify_checks_every_lane_and_names_the_lane_of_an_edited_event():
    _write(2)
    _forge_lane(2, 3)
    assert audit_verify() is None
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {TABLE} SET reason = 'forged' WHERE lane = 2 AND seq = 2")
    broken = audit_verify()
    assert broken is not None and (broken.lane, broken.seq) == (2, 2)


@pytest.mark.django_db
def test_verify_catches_the_newest_event_of_a_lane_deleted():
    _write(2)
    _forge_lane(2, 3)
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {TABLE} WHERE lane = 2 AND seq = 3")
    broken = audit_verify()
    assert broken is not None and (broken.lane, broken.seq) == (2, 3)


@pytest.mark.django_db
def test_verify_catches_an_event_moved_to_another_lane():
    _forge_lane(2, 2)
    _forge_lane(3, 1)
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {TABLE} SET lane = 3, seq = 2 WHERE lane = 2 AND seq = 2")
    broken = audit_verify()
    assert broken is not None and broken.lane in (2, 3)


@pytest.mark.django_db
def test_verify_catches_a_lane_whose_head_was_deleted():
    _forge_lane(2, 2)
    AuditHead.objects.filter(id=2).delete()
    broken = audit_verify()
    assert broken is not None and broken.lane == 2


@pytest.mark.django_db
def test_the_verify_command_names_the_lane_and_event_of_the_first_broken_link(capsys):
    _forge_lane(2, 2)
    call_command("audit_verify")
    assert "intact: 2 events" in capsys.readouterr().out
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {TABLE} SET action = 'x' WHERE lane = 2 AND seq = 1")
    with pytest.raises(SystemExit):
        call_command("audit_verify")
    assert "BROKEN at event 1 of lane 2" in capsys.readouterr().err


@pytest.mark.django_db(transaction=True)
def test_the_first_write_to_an_empty_log_creates_the_lane_heads_and_starts_lane_one():
    AuditHead.objects.all().delete()
    _write(2)
    assert [(e.lane, e.seq) for e in AuditEvent.objects.all()] == [(1, 1), (1, 2)]
    expected = audit.LANES if connection.vendor == "postgresql" else 1
    assert AuditHead.objects.count() == expected
    assert audit_verify() is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_writers_in_parallel_each_take_their_own_lane_and_every_lane_verifies():
    _postgres_only()
    _heads(audit.LANES)
    writers = 4
    holding = threading.Barrier(writers, timeout=30)

    def write(i: int) -> None:
        with transaction.atomic():
            audit_record(by=None, action="test.write", object_type="t", object_id=f"{i}-a")
            holding.wait()  # every writer holds its lane now: none of them may share one
            # A second event of the same transaction stays in its lane, without waiting for the others.
            audit_record(by=None, action="test.write", object_type="t", object_id=f"{i}-b")

    assert _parallel(writers, write) == []
    events = list(AuditEvent.objects.order_by("lane", "seq"))
    lanes = {e.lane for e in events}
    assert len(lanes) == writers
    for lane in lanes:
        mine = [e for e in events if e.lane == lane]
        assert [e.seq for e in mine] == [1, 2]
        assert mine[0].object_id.split("-")[0] == mine[1].object_id.split("-")[0]
    assert audit_verify() is None

    _parallel(writers, lambda i: _write(3))  # more rounds continue each lane's chain from its head
    assert AuditEvent.objects.count() == writers * 2 + writers * 3
    assert audit_verify() is None

    tampered = sorted(lanes)[1]
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {TABLE} SET object_id = 'forged' WHERE lane = %s AND seq = 1", [tampered])
    broken = audit_verify()
    assert broken is not None and (broken.lane, broken.seq) == (tampered, 1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_writer_finding_every_lane_busy_waits_for_one_and_chains_after_it(monkeypatch):
    _postgres_only()
    monkeypatch.setattr(audit, "LANES", 2)
    _heads(2)
    holding = threading.Barrier(3, timeout=30)
    release = threading.Barrier(3, timeout=30)

    def hold(i: int) -> None:
        with transaction.atomic():
            audit_record(by=None, action="test.hold", object_type="t", object_id=str(i))
            holding.wait()
            release.wait()

    holders = [threading.Thread(target=lambda i=i: (hold(i), connection.close())) for i in range(2)]
    for t in holders:
        t.start()
    holding.wait()  # both lanes are held
    late = threading.Thread(target=lambda: (_write(1), connection.close()))
    late.start()
    release.wait()
    for t in [*holders, late]:
        t.join(timeout=60)
    assert AuditHead.objects.count() == 2
    events = list(AuditEvent.objects.all())
    assert len(events) == 3 and {e.lane for e in events} == {1, 2}
    assert audit_verify() is None
