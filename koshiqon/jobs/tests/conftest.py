import pytest

from koshiqon.core.domain.permissions import Perm
from koshiqon.jobs import kinds


@pytest.fixture
def job_kinds(monkeypatch):
    """Two test kinds next to the real ones: one that counts, one that fails."""
    monkeypatch.setitem(kinds.JOB_KINDS, "test.count", kinds.JobKind(
        "koshiqon.jobs.tests.handlers.count_to", Perm.JOBS_VIEW, "Counting"))
    monkeypatch.setitem(kinds.JOB_KINDS, "test.explode", kinds.JobKind(
        "koshiqon.jobs.tests.handlers.explode", Perm.JOBS_VIEW, "Exploding"))


@pytest.fixture(autouse=True)
def _no_throttle_memory():
    from koshiqon.jobs import services

    services._last_write.clear()
    services._last_done.clear()
    yield
    services._last_write.clear()
    services._last_done.clear()
