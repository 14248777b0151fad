"""Every read of jobs, scoped to the user: one's own jobs; national officers and administrators see all.

A job the user may not see is not in the queryset, so asking for it answers 404.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from koshiqon.core.domain.permissions import Perm, is_national
from koshiqon.core.permissions import require
from koshiqon.jobs.models import Job


def job_queryset(*, user) -> QuerySet[Job]:
    require(user, Perm.JOBS_VIEW)
    qs = Job.objects.select_related("created_by")
    return qs if is_national(user.role) else qs.filter(created_by=user)


def job_list(*, user) -> QuerySet[Job]:
    return job_queryset(user=user).order_by("-created_at", "-id")


def job_get(*, user, pk: int) -> Job:
    return get_object_or_404(job_queryset(user=user), pk=pk)
