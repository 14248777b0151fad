"""Reading and writing policy versions (architecture.md rule 4; the rules are in core.domain.policy).

Selectors answer "which version of this mechanism was in force on date D"; services create a version and close
an open one, each validated and audited in one transaction. Versions are never edited or deleted: a changed
rule is a new version, so that every past decision still points at the rules it was made under. The one
exception is the wording of the title and the legal act (kk/ru/en, `policy_version_reword`), which names the
rules without being part of them.
"""

import hashlib
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koshiqon.core.audit import audit_record, snapshot
from koshiqon.core.domain.policy import AmbiguousPolicyError, PolicyDoc, Problem, clean_parameters
from koshiqon.core.models import POLICY_LANGUAGES, PolicyVersion

CONFIDENCE_LEVELS = ("H", "M", "L")

# Wording for the pydantic error codes that parameter schemas produce most; %(name)s refers to the context.
PARAMETER_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "extra_forbidden": gettext_lazy("This field is not expected here."),
    "dict_type": gettext_lazy("Expected an object (a set of named values)."),
    "model_type": gettext_lazy("Expected an object (a set of named values)."),
    "list_type": gettext_lazy("Expected a list."),
    "string_type": gettext_lazy("Expected text."),
    "int_type": gettext_lazy("Expected a whole number."),
    "int_parsing": gettext_lazy("Expected a whole number."),
    "int_from_float": gettext_lazy("Expected a whole number."),
    "float_type": gettext_lazy("Expected a number."),
    "float_parsing": gettext_lazy("Expected a number."),
    "decimal_type": gettext_lazy("Expected a number."),
    "decimal_parsing": gettext_lazy("Expected a number."),
    "finite_number": gettext_lazy("Expected a finite number."),
    "bool_type": gettext_lazy("Expected true or false."),
    "bool_parsing": gettext_lazy("Expected true or false."),
    "date_type": gettext_lazy("Expected a date (YYYY-MM-DD)."),
    "date_parsing": gettext_lazy("Expected a date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": gettext_lazy("Expected a date (YYYY-MM-DD)."),
    "greater_than": gettext_lazy("Must be greater than %(gt)s."),
    "greater_than_equal": gettext_lazy("Must be at least %(ge)s."),
    "less_than": gettext_lazy("Must be less than %(lt)s."),
    "less_than_equal": gettext_lazy("Must be at most %(le)s."),
    "string_too_short": gettext_lazy("Must have at least %(min_length)s characters."),
    "string_too_long": gettext_lazy("Must have at most %(max_length)s characters."),
    "too_short": gettext_lazy("Must have at least %(min_length)s items."),
    "too_long": gettext_lazy("Must have at most %(max_length)s items."),
    "literal_error": gettext_lazy("Must be one of: %(expected)s."),
    "enum": gettext_lazy("Must be one of: %(expected)s."),
    "json_key": gettext_lazy("Names of values must be text."),
    "json_type": gettext_lazy("This value cannot be stored (not a JSON value)."),
}


def parameter_message(problem: Problem) -> str:
    """A problem with the parameters, in the active language, prefixed with the field path when there is one."""
    template = PARAMETER_MESSAGES.get(problem.code)
    if template is None:
        # A schema's own code that no one has worded yet: pydantic's English is better than nothing.
        text = _("Not valid: %(detail)s") % {"detail": problem.message or problem.code}
    else:
        try:
            text = str(template) % dict(problem.context)
        except (KeyError, TypeError, ValueError):
            text = _("Not valid: %(detail)s") % {"detail": problem.message or problem.code}
    return f"{problem.path}: {text}" if problem.path else text


def policy_doc(version: PolicyVersion) -> PolicyDoc:
    """The stored version as the pure document that domain rules take as their argument."""
    return PolicyDoc(
        kind=version.kind,
        code=version.code,
        title=version.title,
        valid_from=version.valid_from,
        valid_to=version.valid_to,
        legal_act=version.legal_act,
        legal_number=version.legal_number,
        legal_date=version.legal_date,
        parameters=dict(version.parameters),
        titles=version.titles,
        legal_acts=version.legal_acts,
    )


# --- selectors -------------------------------------------------------------------------------------------------


def _covering(on: date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def policy_in_force(*, kind: str, on: date) -> PolicyVersion | None:
    """The version of `kind` in force on `on` (valid_to inclusive), or None. Two covering versions raise
    AmbiguousPolicyError: the services refuse overlaps, so that means the table was changed behind them."""
    found = list(PolicyVersion.objects.filter(_covering(on), kind=kind).order_by("valid_from")[:2])
    if len(found) > 1:
        raise AmbiguousPolicyError(
            f"{kind}: versions {found[0].code} and {found[1].code} are both in force on {on.isoformat()}"
        )
    return found[0] if found else None


def policy_versions(*, kind: str | None = None) -> QuerySet[PolicyVersion]:
    """All versions, by mechanism and start date; only those of `kind` when it is given."""
    qs = PolicyVersion.objects.order_by("kind", "valid_from")
    return qs.filter(kind=kind) if kind is not None else qs


# --- services --------------------------------------------------------------------------------------------------


def _lock_kind(kind: str) -> None:
    """Make writers of one kind queue, so that two overlapping versions cannot both pass the overlap check.

    PostgreSQL: a transaction-scoped advisory lock on the kind. SQLite runs one write transaction at a time.
    """
    if connection.vendor == "postgresql":
        key = int.from_bytes(
            hashlib.blake2b(f"core.policy:{kind}".encode(), digest_size=8).digest(), "big", signed=True
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _period(start: date, end: date | None) -> str:
    return (
        f"{start.isoformat()} – {end.isoformat()}"
        if end
        else _("%(start)s onwards") % {"start": start.isoformat()}
    )


def _overlap_error(other: PolicyVersion) -> str:
    return _("This period overlaps version “%(code)s” (%(period)s) of the same mechanism.") % {
        "code": other.code,
        "period": _period(other.valid_from, other.valid_to),
    }


WORDING_FIELDS = tuple(f"{stem}_{lang}" for stem in ("title", "legal_act") for lang in POLICY_LANGUAGES)
# A version's wording must be readable in the two languages the law is published in; English is optional.
REQUIRED_WORDING = ("title_kk", "title_ru", "legal_act_kk", "legal_act_ru")


def _wording_errors(wording: dict[str, str]) -> dict[str, list[str]]:
    return {name: [_("This field is required.")] for name in REQUIRED_WORDING if not wording[name]}


def _wording(**values: str | None) -> dict[str, str]:
    return {name: (values[name] or "").strip() for name in WORDING_FIELDS}


@transaction.atomic
def policy_version_create(
    *,
    kind: str,
    code: str,
    title_kk: str,
    title_ru: str,
    title_en: str = "",
    valid_from: date,
    valid_to: date | None,
    legal_act_kk: str,
    legal_act_ru: str,
    legal_act_en: str = "",
    legal_number: str = "",
    legal_date: date | None = None,
    confidence: str = "M",
    parameters: Any,
    by,
) -> PolicyVersion:
    """Add a version of a mechanism's rules. Refused when its parameters do not satisfy the kind's schema, when
    it ends before it starts, when it would be in force on a day another version of the kind already is, or
    when its title or legal act is not given in Kazakh and Russian (English is optional)."""
    wording = _wording(title_kk=title_kk, title_ru=title_ru, title_en=title_en, legal_act_kk=legal_act_kk,
                       legal_act_ru=legal_act_ru, legal_act_en=legal_act_en)
    errors: dict[str, list[str]] = _wording_errors(wording)
    cleaned, problems = clean_parameters(kind, parameters)
    if problems:
        errors["parameters"] = [parameter_message(p) for p in problems]
    if confidence not in CONFIDENCE_LEVELS:
        errors["confidence"] = [
            _("Confidence must be H (official act), M (secondary source) or L (unverified).")
        ]
    if valid_to is not None and valid_from is not None and valid_to < valid_from:
        errors["valid_to"] = [_("A version cannot end before it starts.")]
    elif valid_from is not None:
        _lock_kind(kind)
        clashing = (
            PolicyVersion.objects.filter(kind=kind)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
            .order_by("valid_from")
        )
        if valid_to is not None:
            clashing = clashing.filter(valid_from__lte=valid_to)
        other = clashing.first()
        if other is not None:
            errors["valid_from"] = [_overlap_error(other)]
    if code and PolicyVersion.objects.filter(kind=kind, code=code).exists():
        errors["code"] = [_("Another version of this mechanism already has this code.")]

    version = PolicyVersion(
        kind=kind,
        code=code,
        valid_from=valid_from,
        valid_to=valid_to,
        legal_number=legal_number,
        legal_date=legal_date,
        confidence=confidence,
        parameters=cleaned if cleaned is not None else {},
        **wording,
    )
    try:
        # Fields already refused above are left out, so the user sees one message per problem; parameters
        # were checked against their schema, and an empty object is a valid set of parameters.
        version.full_clean(exclude=[*errors, "parameters"])
    except ValidationError as exc:
        exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    version.save()
    audit_record(by=by, action="core.policy_version.create", obj=version, after=snapshot(version))
    return version


@transaction.atomic
def policy_version_close(*, version: PolicyVersion, valid_to: date, by, reason: str) -> PolicyVersion:
    """End an open version on `valid_to` (its last day in force), so that a new version can follow it.

    Only an open version is closed: moving the end of a closed version would change the rules that past
    decisions were made under.
    """
    locked = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if locked.valid_to is not None:
        closed_on = locked.valid_to.isoformat()
        raise ValidationError(
            {"valid_to": [_("This version is already closed: its last day is %(day)s.") % {"day": closed_on}]}
        )
    if valid_to < locked.valid_from:
        raise ValidationError({"valid_to": [_("A version cannot end before it starts.")]})
    locked.valid_to = valid_to
    locked.full_clean(exclude=["parameters"])
    locked.save(update_fields=["valid_to", "updated_at"])
    audit_record(
        by=by,
        action="core.policy_version.close",
        obj=locked,
        before={"valid_to": None},
        after={"valid_to": valid_to},
        reason=reason,
    )
    # The caller's instance would otherwise still look open.
    version.valid_to, version.updated_at = locked.valid_to, locked.updated_at
    return locked


@transaction.atomic
def policy_version_reword(
    *,
    version: PolicyVersion,
    title_kk: str,
    title_ru: str,
    title_en: str = "",
    legal_act_kk: str,
    legal_act_ru: str,
    legal_act_en: str = "",
    by,
    reason: str,
) -> PolicyVersion:
    """Set the wording of a version's title and legal act in Kazakh, Russian and English.

    The one edit a version allows besides closing it: the wording names the rules and their act, it is not
    part of them (the act's number and date, the dates in force and the parameters stay as they are), so a
    translation added or corrected leaves every past decision under the same rules. Kazakh and Russian are
    required, as for a new version. Audited with the wording before and after; nothing is written when the
    wording is unchanged.
    """
    wording = _wording(title_kk=title_kk, title_ru=title_ru, title_en=title_en, legal_act_kk=legal_act_kk,
                       legal_act_ru=legal_act_ru, legal_act_en=legal_act_en)
    errors = _wording_errors(wording)
    if errors:
        raise ValidationError(errors)
    locked = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    changed = [name for name in WORDING_FIELDS if getattr(locked, name) != wording[name]]
    if not changed:
        return locked
    before = {name: getattr(locked, name) for name in changed}
    for name in changed:
        setattr(locked, name, wording[name])
    locked.full_clean(exclude=["parameters"])
    locked.save(update_fields=[*changed, "updated_at"])
    audit_record(
        by=by,
        action="core.policy_version.reword",
        obj=locked,
        before=before,
        after={name: wording[name] for name in changed},
        reason=reason,
    )
    for name in (*changed, "updated_at"):
        setattr(version, name, getattr(locked, name))
    return locked
