"""Numbering and uniqueness under real parallel requests, on PostgreSQL (the production database).

A running server (pytest-django's live server, one thread per request) receives requests fired at once from
a pool of threads, each with its own connection, as officers at several desks would.
"""

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.db import connection

from koshiqon.core.audit import audit_verify
from koshiqon.core.models import AuditEvent
from koshiqon.people.domain.iin import make_iin
from koshiqon.people.models import Person

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL (run with DATABASE_URL=postgres://...)")


def _post(url: str, token: str, body: dict, start: threading.Barrier) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310 (our own live server)
        url, data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    start.wait()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (our own live server)
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _person(i: int, iin: str) -> dict:
    return {
        "last_name": f"Тестов{'аб'[i % 2]}{i}", "first_name": f"Адам{i}", "birth_date": "1990-05-17", "sex": "M",
        "region": "KZ-55", "citizenship": "KZ", "iin": iin, "confirmed_new": True,
    }


def _fire(url, token, bodies):
    start = threading.Barrier(len(bodies))
    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(lambda b: _post(url, token, b, start), bodies))


def test_parallel_registrations_leave_a_gapless_unforked_audit_chain(live_server, officer, api_token):
    token = api_token(officer)
    before = AuditEvent.objects.count()
    bodies = [_person(i, make_iin(date(1990, 5, 17), "M", 100 + i)) for i in range(24)]
    results = _fire(f"{live_server.url}/api/v1/persons", token, bodies)
    assert [status for status, _ in results] == [201] * 24
    assert AuditEvent.objects.count() == before + 24
    for lane in set(AuditEvent.objects.values_list("lane", flat=True)):  # gapless per lane (ADR 0002, "Lanes")
        seqs = list(AuditEvent.objects.filter(lane=lane).order_by("seq").values_list("seq", flat=True))
        assert seqs == list(range(1, len(seqs) + 1))
    assert audit_verify() is None


def test_the_same_iin_sent_at_once_by_many_desks_is_registered_exactly_once(live_server, officer, api_token):
    token = api_token(officer)
    iin = make_iin(date(1990, 5, 17), "M", 7)
    results = _fire(f"{live_server.url}/api/v1/persons", token, [_person(i, iin) for i in range(12)])
    statuses = sorted(status for status, _ in results)
    assert statuses == [201] + [422] * 11
    refused = [body for status, body in results if status == 422]
    assert all(any(e["field"] == "iin" for e in body["errors"]) for body in refused)
    assert Person.objects.filter(iin=iin).count() == 1
    assert audit_verify() is None
