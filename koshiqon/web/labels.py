"""Readable, translated names for the audit actions written by the services."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "people.person.create": _("Person registered"),
    "people.person.update": _("Person's details changed"),
    "people.person.archive": _("Person's record archived"),
    "people.person.merge": _("Duplicate record merged into this one"),
    "people.person.merged_away": _("Record merged into another one"),
    "people.document.add": _("Identity document added"),
    "people.document.archive": _("Identity document archived"),
    "people.family.create": _("Family registered"),
    "people.family.member_add": _("Family member added"),
    "people.family.member_remove": _("Family member removed"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
