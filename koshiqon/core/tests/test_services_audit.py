"""The audit chain in the database: services write their events, and `audit verify` catches tampering."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from koshiqon.core.audit import audit_record, audit_verify
from koshiqon.core.models import AuditEvent, AuditHead

pytestmark = pytest.mark.django_db


def _write(n, by=None):
    for i in range(n):
        with transaction.atomic():
            audit_record(by=by, action="test.write", object_type="test.thing", object_id=str(i), after={"i": i})


def test_events_are_numbered_without_gaps_and_linked():
    _write(3)
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    assert AuditHead.objects.get(id=1).seq == 3
    assert audit_verify() is None


@pytest.mark.django_db(transaction=True)
def test_an_event_written_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        audit_record(by=None, action="test.write", object_type="t", object_id="1")


def test_an_event_rolls_back_with_the_change_it_records():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit_record(by=None, action="test.write", object_type="t", object_id="1")
        1 / 0  # noqa: B018
    assert AuditEvent.objects.count() == 0
    _write(1)
    assert AuditEvent.objects.get().seq == 1


def test_verify_reports_an_event_edited_behind_the_systems_back():
    _write(4)
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {AuditEvent._meta.db_table} SET reason = 'forged' WHERE seq = 3")
    broken = audit_verify()
    assert broken is not None and broken.seq == 3


def test_verify_reports_a_deleted_event():
    _write(4)
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE seq = 2")
    broken = audit_verify()
    assert broken is not None and broken.seq == 2


def test_verify_reports_the_newest_event_deleted():
    _write(3)
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE seq = 3")
    broken = audit_verify()
    assert broken is not None and broken.seq == 3


def test_the_audit_verify_command_exits_non_zero_on_a_broken_chain(capsys):
    _write(2)
    call_command("audit_verify")
    assert "intact" in capsys.readouterr().out
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {AuditEvent._meta.db_table} SET action = 'x' WHERE seq = 1")
    with pytest.raises(SystemExit) as exc:
        call_command("audit_verify")
    assert exc.value.code == 1


def test_a_batch_of_events_is_chained_like_single_ones_and_verified():
    from koshiqon.core.audit import AuditItem, audit_record_many

    _write(2)
    with transaction.atomic():
        audit_record_many(by=None, items=[
            AuditItem("test.batch", "test.thing", str(i), "KZ-55", {"s": "a"}, {"s": "b"}) for i in range(5)
        ])
    _write(1)
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == list(range(1, 9))
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    assert audit_verify() is None
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {AuditEvent._meta.db_table} SET region_code = 'KZ-75' WHERE seq = 5")
    assert audit_verify().seq == 5
