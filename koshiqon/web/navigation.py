"""The menu each role sees: only what the role may open."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import can

MENU = [
    ("web:home", _("Home"), None),
    ("people:person_list", _("People"), Perm.PEOPLE_VIEW),
    ("kandas:application_list", _("Kandas"), Perm.KANDAS_VIEW),
    ("jobs:job_list", _("Jobs"), Perm.JOBS_VIEW),
    ("analytics:overview", _("Analytics"), Perm.ANALYTICS_VIEW),
]


def menu_for(user):
    return [{"url": reverse(name), "label": label, "name": name} for name, label, perm in MENU if perm is None or can(user, perm)]
