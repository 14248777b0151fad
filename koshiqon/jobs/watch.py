"""Following a job from the terminal: a progress bar that moves as the job's task records its progress."""

import sys
import time
from collections.abc import Callable
from typing import TextIO

from tqdm import tqdm

from koshiqon.jobs.models import Job
from koshiqon.jobs.services import job_reconcile


def job_watch(
    job_id: int, *, out: TextIO | None = None, interval: float = 0.5, sleep: Callable[[float], None] = time.sleep
) -> Job:
    """Show job `job_id`'s progress until it ends; returns the finished job. Raises Job.DoesNotExist."""
    job = Job.objects.get(pk=job_id)
    bar = tqdm(total=job.total or None, desc=job.title[:40], file=out or sys.stderr, unit="", dynamic_ncols=True)
    try:
        while True:
            job = job_reconcile(job)
            if job.total and bar.total != job.total:
                bar.total = job.total
            bar.n = job.total if job.status == "succeeded" and job.total else job.done
            bar.set_postfix_str(f"{job.get_status_display()}{' · ' + job.message if job.message else ''}", refresh=False)
            bar.refresh()
            if job.is_finished:
                return job
            sleep(interval)
            job.refresh_from_db()
    finally:
        bar.close()
