"""Every write on kandas applications, through the procedure of domain.md §2 (Rules of 2013 as amended, M).

A family applies with its members' education, occupation, experience and languages; the local executive body
checks the file within 1 working day (complete: on to the commission; incomplete: returned with the missing
documents listed); the commission recommends within 3 working days or does not; a recommended application
enters the selection against the regional quota (koshiqon.kandas.services.selection). The family may withdraw
at any stage before a final decision. Each service checks the right and the region, checks the transition in
the one table (domain/status.py), saves, and audits in the same transaction. The rules version in force on the
application date governs the whole case.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiqon.core.audit import audit_record, snapshot
from koshiqon.core.calendar import work_calendar
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.numbering import next_number
from koshiqon.core.permissions import region_ids_in_scope, require
from koshiqon.core.policy import policy_in_force
from koshiqon.kandas.domain import procedure
from koshiqon.kandas.domain.policy import NO_PRIORITY, RULES_KIND, Rules, rules_from
from koshiqon.kandas.domain.procedure import age_on
from koshiqon.kandas.domain.status import AppStatus, TransitionError, check_transition
from koshiqon.kandas.models import STATUS_LABELS, ApplicantMember, Application, Channel, LanguageLevel
from koshiqon.kandas.services.quotas import kandas_data_load, quota_plan_create  # noqa: F401 (one entry point)
from koshiqon.people.models import Family, FamilyMember, Person, Relation
from koshiqon.reference.models import EducationLevel, Occupation, Region

AUDIT_FIELDS = [
    "number", "year", "family", "head", "region", "channel", "language", "applied_at", "status", "checklist", "priority",
    "check_due", "commission_due", "rules_version", "decision_reasons",
]
# Paid work is lawful from 16, and from 14 with a parent's consent (Labour Code): experience cannot start earlier.
EARLIEST_WORK_AGE = 14
MAX_EXPERIENCE = Decimal(60)
CLOCK_SKEW_SECONDS = 300


def application_number(year: int, n: int) -> str:
    return f"KQ-{year}-{n:06d}"


def _audit(application: Application, action: str, *, by, before: dict | None = None, reason: str = "") -> None:
    audit_record(by=by, action=action, obj=application, region_code=application.region.code,
                 before=before, after=snapshot(application, AUDIT_FIELDS), reason=reason)


def _require_region(by, region_id: int) -> None:
    scope = region_ids_in_scope(by)
    if scope is not None and region_id not in scope:
        raise PermissionDenied("region")


def _locked(application: Application, by) -> Application:
    require(by, Perm.KANDAS_PROCESS)
    _require_region(by, application.region_id)
    return (Application.objects.select_for_update(of=("self",)).select_related("region", "rules_version")
            .get(pk=application.pk))


def _move(application: Application, target: AppStatus) -> None:
    try:
        check_transition(application.status, target)
    except TransitionError:
        raise ValidationError({"status": [
            _("This application is “%(status)s”: it cannot be moved to “%(target)s”.")
            % {"status": application.get_status_display(), "target": STATUS_LABELS[target]}
        ]})
    application.status = target


def rules_version_of(application: Application):
    """The rules version a case is handled under: the one recorded on it, else the one in force on its
    application date (for applications written without one, such as imported ones)."""
    if application.rules_version_id:
        return application.rules_version
    return policy_in_force(kind=RULES_KIND, on=timezone.localtime(application.applied_at).date())


def _rules_of(application: Application) -> Rules:
    version = rules_version_of(application)
    if version is None:
        raise ValidationError({"applied_at": [_("No kandas rules were in force on that date.")]})
    return rules_from(version.parameters)


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else timezone.make_aware(moment)


def _lookup(model, value, errors: dict, key: str, message: str):
    if value in (None, ""):
        return None
    if isinstance(value, model):
        return value
    found = model.objects.filter(code=str(value).strip()).first()
    if found is None:
        errors.setdefault(key, []).append(message)
    return found


def _clean_members(family: Family, members: list[dict[str, Any]], on: date, errors: dict) -> list[ApplicantMember]:
    """The members as ApplicantMember rows (unsaved), each a member of the family in the registry."""
    registry = {m.person_id: m for m in FamilyMember.objects.filter(family=family).select_related("person")}
    out: list[ApplicantMember] = []
    seen: set[int] = set()
    if not members:
        errors.setdefault("members", []).append(_("List the family members who move, the head first."))
    for i, values in enumerate(members):
        key = f"members.{i}"
        person = values.get("person")
        person_id = person.pk if isinstance(person, Person) else person
        entry = registry.get(person_id)
        if entry is None:
            errors.setdefault(f"{key}.person", []).append(_("This person is not a member of the family."))
            continue
        if person_id in seen:
            errors.setdefault(f"{key}.person", []).append(_("This person is listed twice."))
        seen.add(person_id)
        relation = values.get("relation") or entry.relation
        if relation not in Relation.values:
            errors.setdefault(f"{key}.relation", []).append(_("Choose the relation to the head of family."))
        education = _lookup(EducationLevel, values.get("education"), errors, f"{key}.education",
                            _("Unknown education level: use an ISCED 2011 level, 0 to 8."))
        occupation = _lookup(Occupation, values.get("occupation"), errors, f"{key}.occupation",
                             _("Unknown occupation: use an ISCO-08 code."))
        try:
            experience = Decimal(str(values.get("experience_years") or 0))
        except InvalidOperation:
            experience = Decimal(-1)
        age = age_on(entry.person.birth_date, on)
        if not experience.is_finite() or not Decimal(0) <= experience <= MAX_EXPERIENCE:
            errors.setdefault(f"{key}.experience_years", []).append(_("Enter the years of experience, 0 to 60."))
        elif experience > max(age - EARLIEST_WORK_AGE, 0):
            errors.setdefault(f"{key}.experience_years", []).append(
                _("More years of experience than the person's age allows (%(age)s years old).") % {"age": age})
        languages = {}
        for lang in ("kazakh", "russian"):
            languages[lang] = values.get(lang) or LanguageLevel.NONE
            if languages[lang] not in LanguageLevel.values:
                errors.setdefault(f"{key}.{lang}", []).append(_("Choose none, basic or fluent."))
        out.append(ApplicantMember(
            person=entry.person, relation=relation, education=education, occupation=occupation,
            experience_years=experience.quantize(Decimal("0.1")) if experience >= 0 else Decimal(0),
            other_languages=(values.get("other_languages") or "").strip()[:200], **languages,
        ))
    heads = [m for m in out if m.relation == Relation.HEAD]
    family_head = next((m.person_id for m in registry.values() if m.relation == Relation.HEAD), None)
    if out and (len(heads) != 1 or heads[0].person.pk != family_head):
        errors.setdefault("members", []).append(
            _("The head of the family in the registry must be listed once, as the head."))
    return out


def _clean_checklist(checklist: dict | None, rules: Rules, errors: dict) -> dict[str, bool]:
    checklist = dict(checklist or {})
    unknown = sorted(set(checklist) - set(rules.document_codes))
    if unknown:
        errors.setdefault("checklist", []).append(
            _("Not a required document of the rules in force: %(codes)s.") % {"codes": ", ".join(unknown)})
    return {code: bool(checklist.get(code, False)) for code in rules.document_codes}


@transaction.atomic
def kandas_application_submit(
    *,
    family: Family,
    region: Region,
    channel: str,
    applied_at: datetime,
    members: list[dict[str, Any]],
    checklist: dict[str, bool] | None = None,
    priority: str = "",
    language: str = "kk",
    by,
) -> Application:
    """Register a family's application for the quota of the application year, under the rules version in
    force on the application date: its number (KQ-2026-000001), the documents received, and the deadline of
    the completeness check (and the latest date for the commission)."""
    require(by, Perm.KANDAS_PROCESS)
    errors: dict[str, list[str]] = {}
    scope = region_ids_in_scope(by)
    if region is None:
        errors["region"] = [_("This field is required.")]
    elif scope is not None and region.pk not in scope:
        errors["region"] = [_("You may take applications only for your own regions.")]
    if family is None or (scope is not None and family.region_id not in scope):
        errors["family"] = [_("There is no such family in your regions.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Choose how the application was received.")]
    if language not in {code for code, _name in settings.LANGUAGES}:
        errors["language"] = [_("Choose Kazakh, Russian or English.")]
    if applied_at is None:
        errors["applied_at"] = [_("This field is required.")]
        raise ValidationError(errors)
    applied_at = _local(applied_at)
    if (applied_at - timezone.now()).total_seconds() > CLOCK_SKEW_SECONDS:
        errors["applied_at"] = [_("The application date cannot be in the future.")]
    on = applied_at.date()
    version = policy_in_force(kind=RULES_KIND, on=on)
    if version is None:
        errors.setdefault("applied_at", []).append(_("No kandas rules were in force on that date."))
        raise ValidationError(errors)
    rules = rules_from(version.parameters)
    if region is not None and not rules.is_resettlement_region(region.code):
        errors.setdefault("region", []).append(
            _("This region is not a designated resettlement region under the rules in force."))
    priority = (priority or "").strip() or NO_PRIORITY
    if priority != NO_PRIORITY and priority not in rules.priority_codes:
        errors["priority"] = [_("Not a priority category of the rules in force.")]
    clean_checklist = _clean_checklist(checklist, rules, errors)
    rows = _clean_members(family, members, on, errors) if "family" not in errors else []
    year = on.year
    if "family" not in errors:
        earlier = Application.objects.filter(family=family, year=year).exclude(status=AppStatus.WITHDRAWN).first()
        if earlier is not None:
            errors.setdefault("family", []).append(
                _("This family already applied for %(year)s: %(number)s.") % {"year": year, "number": earlier.number})
    if errors:
        raise ValidationError(errors)
    deadlines = procedure.on_submission(on, rules, work_calendar())
    head = next(m.person for m in rows if m.relation == Relation.HEAD)
    application = Application.objects.create(
        number=application_number(year, next_number(f"kandas-{year}")), year=year, family=family, head=head,
        region=region, channel=channel, language=language, applied_at=applied_at, status=AppStatus.SUBMITTED,
        checklist=clean_checklist, priority=priority if priority != NO_PRIORITY else "",
        check_due=deadlines.check_due, commission_due=deadlines.commission_due, rules_version=version,
        created_by=by,
    )
    for row in rows:
        row.application = application
    ApplicantMember.objects.bulk_create(rows)
    _audit(application, "kandas.application.submit", by=by)
    return application


@transaction.atomic
def kandas_check_file(*, application: Application, complete: bool, missing: list[str] | None = None, by,
                      note: str = "") -> Application:
    """The completeness check: a complete file goes to the commission, whose term starts today; an incomplete
    one is returned to the family with the missing documents listed."""
    application = _locked(application, by)
    rules = _rules_of(application)
    missing = sorted(set(missing or []))
    unknown = [code for code in missing if code not in rules.document_codes]
    if unknown:
        raise ValidationError({"missing": [_("Not a required document of the rules in force: %(codes)s.")
                                           % {"codes": ", ".join(unknown)}]})
    if complete and missing:
        raise ValidationError({"missing": [_("A complete file has no missing documents.")]})
    if not complete and not missing:
        raise ValidationError({"missing": [_("Say which documents are missing.")]})
    before = snapshot(application, AUDIT_FIELDS)
    _move(application, AppStatus.CHECKED if complete else AppStatus.RETURNED)
    today = timezone.localdate()
    deadlines = procedure.on_check(today, complete=complete, rules=rules, calendar=work_calendar())
    application.checklist = {code: code not in missing for code in rules.document_codes}
    application.commission_due = deadlines.commission_due
    application.save()
    _audit(application, "kandas.application.check", by=by, before=before, reason=note.strip())
    return application


@transaction.atomic
def kandas_resubmit(*, application: Application, received: list[str] | None = None, by) -> Application:
    """A returned file handed in again with the documents that were missing: the completeness check runs
    again, from today."""
    application = _locked(application, by)
    rules = _rules_of(application)
    received = sorted(set(received or []))
    unknown = [code for code in received if code not in rules.document_codes]
    if unknown:
        raise ValidationError({"received": [_("Not a required document of the rules in force: %(codes)s.")
                                            % {"codes": ", ".join(unknown)}]})
    before = snapshot(application, AUDIT_FIELDS)
    _move(application, AppStatus.SUBMITTED)
    application.checklist = {code: bool(application.checklist.get(code)) or code in received
                             for code in rules.document_codes}
    deadlines = procedure.on_submission(timezone.localdate(), rules, work_calendar())
    application.check_due, application.commission_due = deadlines.check_due, deadlines.commission_due
    application.save()
    _audit(application, "kandas.application.resubmit", by=by, before=before)
    return application


def _clean_reasons(reasons) -> list[str]:
    if isinstance(reasons, str):
        reasons = reasons.splitlines()
    return [" ".join(str(r).split()) for r in (reasons or []) if str(r).strip()]


@transaction.atomic
def kandas_commission(*, application: Application, recommend: bool, reasons=None, by) -> Application:
    """The commission's recommendation on a complete file. Not recommending needs the reasons, which the
    family may appeal against."""
    application = _locked(application, by)
    reasons = _clean_reasons(reasons)
    if not recommend and not reasons:
        raise ValidationError({"reasons": [_("Give the reasons for not recommending the family.")]})
    before = snapshot(application, AUDIT_FIELDS)
    _move(application, AppStatus.RECOMMENDED if recommend else AppStatus.REJECTED)
    application.decision_reasons = reasons
    application.save()
    _audit(application, "kandas.application.commission", by=by, before=before, reason="\n".join(reasons))
    return application


@transaction.atomic
def kandas_withdraw(*, application: Application, reason: str, by) -> Application:
    """The family withdraws its application (recorded with why); it can apply again."""
    application = _locked(application, by)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the application is withdrawn.")]})
    before = snapshot(application, AUDIT_FIELDS)
    _move(application, AppStatus.WITHDRAWN)
    application.save()
    _audit(application, "kandas.application.withdraw", by=by, before=before, reason=reason.strip())
    return application
