"""On PostgreSQL a statement a connection runs again and again is prepared on the server, planned once (ADR 0014):
the production settings ask for it, and this checks that the database really holds the prepared statement."""

import pytest
from django.db import connection

from koshiqon.core.models import AuditHead

pytestmark = pytest.mark.django_db


def _prepared(fragment: str) -> list[tuple[int, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT generic_plans + custom_plans, statement FROM pg_prepared_statements "
                       "WHERE statement LIKE %s", [f"%{fragment}%"])
        return cursor.fetchall()


def test_a_statement_run_five_times_is_prepared_and_its_later_runs_reuse_it():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (run with DATABASE_URL=postgres://...)")
    for lane in range(1, 5):
        AuditHead.objects.filter(id=lane, seq__gte=0).exists()
    assert _prepared("core_audithead") == []
    for lane in range(5, 12):
        AuditHead.objects.filter(id=lane, seq__gte=0).exists()
    [(runs, statement)] = _prepared("core_audithead")
    assert "$1" in statement and runs >= 2
