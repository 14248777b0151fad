"""The quota under real parallel decisions, on PostgreSQL (the production database).

A running server (pytest-django's live server, one thread per request) receives 52 decide requests fired at
once by several officers of the region, each from its own connection, against a quota with 7 places left:
exactly 7 permits are issued and the 45 others refused with the reason "quota", never more.
"""

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.db import connection

from koshiqon.accounts.factories import UserFactory
from koshiqon.core.audit import audit_verify
from koshiqon.labour.models import Permit, QuotaAllocation
from koshiqon.labour.tests.factories import (
    load_mci,
    make_allocation,
    make_application,
    make_employer,
    occupation,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
REQUESTS = 52
PLACES, USED = 20, 13


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL (run with DATABASE_URL=postgres://...)")


def _decide(url: str, token: str, start: threading.Barrier) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=b"", method="POST",  # noqa: S310 (our own live server)
                                     headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})
    start.wait()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 (our own live server)
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_parallel_decisions_issue_exactly_the_free_places_and_refuse_the_rest_for_the_quota(
    live_server, reference, api_token
):
    load_mci()
    occupation()
    allocation = make_allocation(year=2025, category="3", places=PLACES, used=USED)
    employers = [make_employer(staff={"3": (1000, 0)}) for _ in range(4)]
    applications = [make_application(employers[i % 4], applied_on=date(2025, 8, 29), employment_body_notified=True)
                     for i in range(REQUESTS)]
    officers = [UserFactory(username=f"desk{i}", role="regional_officer", region_codes=["KZ-55"]) for i in range(4)]
    tokens = [api_token(officer) for officer in officers]
    start = threading.Barrier(REQUESTS)
    jobs = [(f"{live_server.url}/api/v1/labour/permit-applications/{a.pk}/decide", tokens[i % 4])
            for i, a in enumerate(applications)]
    with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
        results = list(pool.map(lambda job: _decide(*job, start), jobs))

    assert [status for status, _ in results] == [200] * REQUESTS, results
    granted = [body for _, body in results if body["status"] == "granted"]
    refused = [body for _, body in results if body["status"] == "refused"]
    assert len(granted) == PLACES - USED and len(refused) == REQUESTS - (PLACES - USED)
    assert all(body["reasons"] == ["quota"] for body in refused)
    assert all(body["steps"][3]["text"] == "The quota of this region and category is exhausted." for body in refused)
    assert sorted(body["quota_left"] for body in granted) == list(range(1, PLACES - USED + 1))
    allocation = QuotaAllocation.objects.get(pk=allocation.pk)
    assert allocation.used == allocation.places == PLACES
    assert Permit.objects.count() == len(granted)
    assert sorted(Permit.objects.values_list("number", flat=True)) == sorted(body["permit"] for body in granted)
    assert audit_verify() is None
