"""Gapless numbers, also when many requests take one at the same moment (PostgreSQL, real threads)."""

import threading

import pytest
from django.db import connection, connections, transaction

from koshiqon.core.models import Counter
from koshiqon.core.numbering import next_number


@pytest.mark.django_db
def test_numbers_start_at_one_and_follow_each_other_per_key():
    with transaction.atomic():
        assert [next_number("a"), next_number("a"), next_number("b")] == [1, 2, 1]


@pytest.mark.django_db
def test_a_rolled_back_transaction_gives_its_number_back():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        next_number("a")
        1 / 0  # noqa: B018
    with transaction.atomic():
        assert next_number("a") == 1


@pytest.mark.django_db(transaction=True)
def test_a_number_taken_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        next_number("a")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_thirty_concurrent_transactions_get_thirty_distinct_gapless_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL")
    start, got, lock = threading.Barrier(30), [], threading.Lock()

    def take():
        try:
            start.wait()
            with transaction.atomic():
                n = next_number("kandas-2026")
            with lock:
                got.append(n)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(got) == list(range(1, 31))
    assert Counter.objects.get(key="kandas-2026").value == 30
