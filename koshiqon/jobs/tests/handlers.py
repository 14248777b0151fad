"""Job handlers used by the tests (registered with the `job_kinds` fixture)."""

from django.utils.translation import get_language

from koshiqon.jobs.models import Job


def count_to(*, by, progress, n: int, job_id_seen: list | None = None) -> dict:
    """Reports progress n times, and reads back, as a page would, what each report wrote."""
    seen = []
    for i in range(1, n + 1):
        progress(i, n, f"step {i}")
        job = Job.objects.filter(created_by=by).order_by("-id").first()
        seen.append(job.done)
    return {"seen": seen, "language": get_language(), "summary": f"counted to {n}"}


def explode(*, by, progress) -> dict:
    progress(1, 4, "about to fail")
    raise RuntimeError("the disk is full")
