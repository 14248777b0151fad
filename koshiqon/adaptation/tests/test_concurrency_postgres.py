"""The last beds under real parallel requests, on PostgreSQL (the production database): many desks check
persons in at once at a centre with fewer free beds; exactly the free beds are given, never one more.

A running server (pytest-django's live server, one thread per request) receives the requests fired at once
from a pool of threads, each with its own connection."""

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.db import connection

from koshiqon.adaptation.models import Stay
from koshiqon.adaptation.services.catalogue import adaptation_catalogue_load
from koshiqon.adaptation.services.stays import stay_check_in
from koshiqon.adaptation.tests.plans_setup import make_centre, make_family, make_plan, members
from koshiqon.core.audit import audit_verify

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DESKS = 24
BEDS = 7
ALREADY = 2  # persons staying before the rush: 5 beds are free


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


def test_parallel_check_ins_take_exactly_the_free_beds(live_server, centre_staff, api_token):
    adaptation_catalogue_load(by="test")
    centre = make_centre(beds=BEDS, staff=centre_staff)
    one = (("head", date(1980, 1, 1), "M"),)
    first = make_plan(centre_staff, centre, make_family(household=(*one, ("spouse", date(1982, 1, 1), "F"))))
    stay_check_in(plan=first, persons=members(first.family), on=date(2026, 6, 2), by=centre_staff,
                  today=date(2026, 6, 15))
    plans = [make_plan(centre_staff, centre, make_family(household=one)) for _ in range(DESKS)]
    token = api_token(centre_staff)
    start = threading.Barrier(DESKS)
    bodies = [(f"{live_server.url}/api/v1/adaptation/plans/{p.pk}/stays", {"person_ids": [members(p.family)[0].pk]})
              for p in plans]
    with ThreadPoolExecutor(max_workers=DESKS) as pool:
        results = list(pool.map(lambda b: _post(b[0], token, b[1], start), bodies))
    statuses = sorted(status for status, _body in results)
    assert statuses == [201] * (BEDS - ALREADY) + [422] * (DESKS - BEDS + ALREADY)
    refused = [body for status, body in results if status == 422]
    assert all(body["errors"][0]["field"] == "person_ids" for body in refused)
    assert Stay.objects.filter(centre=centre, check_out__isnull=True).count() == BEDS
    assert audit_verify() is None
