"""Log-in and the home page, which differs by role: each role sees what its work starts from."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.decorators import method_decorator

from koshiqon.core.domain.permissions import Perm, Role
from koshiqon.core.permissions import can
from koshiqon.people.forms import PersonSearchForm
from koshiqon.web.forms import LoginForm
from koshiqon.web.labels import action_label
from koshiqon.web.selectors import home_audit_size, home_person_counts, home_recent_events


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def _events(user) -> list[dict]:
    """The recent changes; a change to a person leads to the person's page for those who may open it (an
    administrator follows the log, not the registry)."""
    links = can(user, Perm.PEOPLE_VIEW)
    return [
        {"event": e, "label": action_label(e.action),
         "person_id": e.object_id if links and e.object_type == "people.person" else None}
        for e in home_recent_events(user=user)
    ]


def home(request):
    user = request.user
    try:
        role = Role(user.role)
    except ValueError:
        return render(request, "web/no_access.html", {})
    context = {"role": role.value, "can_change": can(user, Perm.PEOPLE_CHANGE)}
    if can(user, Perm.PEOPLE_VIEW):
        counts = home_person_counts(user=user)
        context |= {
            "region_counts": counts,
            "person_total": sum(row["count"] for row in counts),
            "search_form": PersonSearchForm(user=user),
            "events": _events(user),
        }
    if role == Role.ADMINISTRATOR:
        context |= {"events": _events(user), "audit_size": home_audit_size()}
    context["can_analytics"] = can(user, Perm.ANALYTICS_VIEW)
    context["can_jobs"] = can(user, Perm.JOBS_VIEW)
    return render(request, "web/home.html", context)
