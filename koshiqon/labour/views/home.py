"""The foreign-labour area's start page: what waits for the user, and links to every page the user may open
(officers: the queue, permits, household permits, the quota, employers, the labour exchange; employers: their
applications and permits; the ministry: its figures)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import can
from koshiqon.labour.domain.status import ApplicationStatus
from koshiqon.labour.selectors import ministry
from koshiqon.labour.selectors import permits as selectors


@require_GET
def home(request):
    user = request.user
    view, apply, decide = can(user, Perm.LABOUR_VIEW), can(user, Perm.LABOUR_APPLY), can(user, Perm.LABOUR_DECIDE)
    if not (view or apply or can(user, Perm.ANALYTICS_VIEW)):
        raise PermissionDenied(Perm.LABOUR_VIEW.value)
    context = {
        "can_view": view, "can_apply": apply, "can_decide": decide,
        "can_exchange": can(user, Perm.LABOUR_EXCHANGE), "can_quota": view or can(user, Perm.ANALYTICS_VIEW),
        "can_figures": ministry.may_read_figures(user),
    }
    if view or apply:
        pending = selectors.application_list(user=user, filters={"status": ApplicationStatus.SUBMITTED})
        context |= {
            "pending_count": pending.count(), "overdue_count": pending.filter(is_overdue=True).count(),
            "next_due": list(pending[:5]),
            "extensions_waiting": selectors.extensions_pending(user=user).count() if view else 0,
        }
    return render(request, "labour/home.html", context)


urlpatterns = [path("", home, name="home")]
