"""The one task behind every long job: it runs the job's handler and records the outcome on the job."""

import logging

from django.conf import settings
from django.utils import translation
from django_tasks import task

from koshiqon.jobs.kinds import job_handler
from koshiqon.jobs.models import Job
from koshiqon.jobs.services import LANGUAGE_PARAM, JobProgress, job_fail, job_mark_running, job_succeed

logger = logging.getLogger(__name__)


@task()
def run_job(job_id: int, params: dict) -> dict:
    """Run job `job_id`. The job's own row, not the task's return value, is what pages and the CLI read."""
    job = Job.objects.select_related("created_by").get(pk=job_id)
    if not job_mark_running(job_id):
        return {"job": job_id, "skipped": True}
    params = dict(params)
    language = params.pop(LANGUAGE_PARAM, None) or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            result = job_handler(job.kind)(by=job.created_by, progress=JobProgress(job_id), **params)
        except Exception as exc:
            logger.exception("job %s (%s) failed", job_id, job.kind)
            job_fail(job_id, f"{type(exc).__name__}: {exc}")
            raise
        job_succeed(job_id, result)
    return {"job": job_id}
