"""The menu each role sees: only what the role may open."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import can

MENU = [
    ("web:home", _("Home"), None),
    ("people:person_list", _("People"), Perm.PEOPLE_VIEW),
    ("kandas:application_list", _("Kandas"), Perm.KANDAS_VIEW),
    ("adaptation:home", _("Adaptation"), (Perm.ADAPTATION_VIEW, Perm.ANALYTICS_VIEW)),  # analysts: aggregates
    ("placement:home", _("Placement"), Perm.PLACEMENT_VIEW),
    # Employers (labour.apply) reach their own applications there too; analysts the ministry's figures.
    ("labour:home", _("Foreign labour"), (Perm.LABOUR_VIEW, Perm.LABOUR_APPLY, Perm.ANALYTICS_VIEW)),
    ("jobs:job_list", _("Jobs"), Perm.JOBS_VIEW),
    ("analytics:overview", _("Analytics"), Perm.ANALYTICS_VIEW),
]


def _allowed(user, perm) -> bool:
    """None: everyone; a permission; or a tuple of permissions, any of which opens the item."""
    if perm is None:
        return True
    perms = perm if isinstance(perm, tuple) else (perm,)
    return any(can(user, p) for p in perms)


def menu_for(user):
    return [{"url": reverse(name), "label": label, "name": name} for name, label, perm in MENU if _allowed(user, perm)]
