"""Long jobs (imports, selection and placement runs, reports) and the progress they report while they run."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to start")
    RUNNING = "running", _("running")
    SUCCEEDED = "succeeded", _("finished")
    FAILED = "failed", _("failed")


FINISHED = (JobStatus.SUCCEEDED, JobStatus.FAILED)


class Job(models.Model):
    """One run of a long task, as the person who started it sees it.

    The task itself lives in django-tasks' result table (`task_result_id`); this row holds what a page and
    the CLI show: how far it got, what it is doing, and what came out of it.
    """

    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs", verbose_name=_("started by")
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    started_at = models.DateTimeField(_("running since"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveBigIntegerField(_("total"), default=0)
    done = models.PositiveBigIntegerField(_("done"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="job_owner_idx")]

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        """Whole per cent done; 100 once the job succeeded, whatever the last count said."""
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))
