"""Moving quota places under real concurrency, on PostgreSQL: desks moving places at the same moment never
overdraw a region, and opposite moves between the same two regions queue instead of deadlocking."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from koshiqon.core.audit import audit_verify
from koshiqon.labour.models import QuotaAllocation, QuotaRedistribution
from koshiqon.labour.services.quota import quota_redistribute
from koshiqon.labour.tests.setup_quota_exchange import load_quotas, load_reference

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL (run with DATABASE_URL=postgres://...)")


def _moves(by, moves: list[tuple[str, str, int]]) -> list[str]:
    start = threading.Barrier(len(moves))

    def one(move):
        source, target, places = move
        start.wait()
        try:
            quota_redistribute(year=2026, category="3", from_region=source, to_region=target, places=places,
                               legal_act="Order", act_date=date(2026, 5, 4), by=by)
            return "moved"
        except ValidationError:
            return "refused"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(moves)) as pool:
        return list(pool.map(one, moves))


def test_desks_moving_places_at_once_never_take_more_than_the_region_has_unused(reference, national):
    load_reference()
    load_quotas()
    giving = QuotaAllocation.objects.get(quota__year=2026, region__code="KZ-55", category="3")
    QuotaAllocation.objects.filter(pk=giving.pk).update(used=giving.places - 10)
    targets = ["KZ-75", "KZ-71", "KZ-11", "KZ-15", "KZ-19", "KZ-23", "KZ-27", "KZ-31"]
    results = _moves(national, [("KZ-55", target, 3) for target in targets])
    assert sorted(results) == ["moved"] * 3 + ["refused"] * 5
    giving.refresh_from_db()
    assert giving.left == 1 and QuotaRedistribution.objects.count() == 3
    assert audit_verify() is None


def test_opposite_moves_between_two_regions_at_once_all_go_through_without_a_deadlock(reference, national):
    load_reference()
    load_quotas()
    before = {a.region.code: a.places for a in QuotaAllocation.objects.filter(
        quota__year=2026, category="3", region__code__in=["KZ-55", "KZ-75"]).select_related("region")}
    moves = [("KZ-55", "KZ-75", 1) if i % 2 else ("KZ-75", "KZ-55", 1) for i in range(12)]
    assert _moves(national, moves) == ["moved"] * 12
    after = {a.region.code: a.places for a in QuotaAllocation.objects.filter(
        quota__year=2026, category="3", region__code__in=["KZ-55", "KZ-75"]).select_related("region")}
    assert after == before
    assert audit_verify() is None
