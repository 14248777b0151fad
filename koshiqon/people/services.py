"""Every write on persons, documents and families. Each checks the actor's right and region, validates with
field-level messages, saves, and audits in the same transaction. Nothing is hard-deleted."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiqon.core.audit import audit_record, snapshot
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import region_ids_in_scope, require
from koshiqon.people.domain.iin import iin_birth_date, iin_problem, iin_sex
from koshiqon.people.domain.mrz import parse_mrz
from koshiqon.people.domain.names import name_key
from koshiqon.people.messages import IIN_MESSAGES, mrz_message
from koshiqon.people.models import DocumentKind, Family, FamilyMember, IdentityDocument, Person, Relation
from koshiqon.people.selectors import DuplicateCandidate, person_duplicate_candidates
from koshiqon.reference.models import Country, Region

PERSON_FIELDS = [
    "last_name", "first_name", "patronymic", "last_name_latin", "first_name_latin",
    "birth_date", "sex", "citizenship", "iin", "region",
]
EARLIEST_BIRTH = date(1900, 1, 1)
LATIN_EXTRA = set(" -'’.")


@dataclass
class PossibleDuplicates(Exception):
    """Raised instead of saving when the new person looks like one already registered. The officer compares
    them side by side, then opens the existing record or confirms the new one is a different person."""

    candidates: list[DuplicateCandidate]
    hidden: int = 0  # matches in regions the officer may not see: counted, never shown
    errors: dict = field(default_factory=dict)


def _clean_text(value: str | None) -> str:
    return " ".join((value or "").split())


def _is_latin(value: str) -> bool:
    return all(("A" <= ch.upper() <= "Z") or ch in LATIN_EXTRA for ch in value)


def _require_region(by, region: Region | None, errors: dict) -> None:
    scope = region_ids_in_scope(by)
    if region is not None and scope is not None and region.id not in scope:
        errors.setdefault("region", []).append(_("You may register persons only in your own regions."))


def _require_in_scope(by, *region_ids: int) -> None:
    """Refuse a change to records of regions the actor may not touch (callers found them through a scoped
    selector, so this is the second line of defence)."""
    scope = region_ids_in_scope(by)
    if scope is not None and any(region_id not in scope for region_id in region_ids):
        raise PermissionDenied("region")


def _validate_person(values: dict, *, by, today: date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(str(message))

    for name in ("last_name", "first_name"):
        if not values.get(name):
            add(name, _("This field is required."))
    for name in ("last_name_latin", "first_name_latin"):
        if values.get(name) and not _is_latin(values[name]):
            add(name, _("Use Latin letters only, as in the passport."))
    birth = values.get("birth_date")
    if not birth:
        add("birth_date", _("This field is required."))
    elif birth > today:
        add("birth_date", _("The date of birth cannot be in the future."))
    elif birth < EARLIEST_BIRTH:
        add("birth_date", _("The date of birth is before 1900: please check it."))
    if values.get("sex") not in ("M", "F"):
        add("sex", _("Choose the sex."))
    if values.get("region") is None:
        add("region", _("This field is required."))
    else:
        region = values["region"]
        if region.valid_to is not None and region.valid_to < today:
            add("region", _("This region no longer exists; choose the current one."))
        _require_region(by, region, errors)
    iin = values.get("iin")
    if iin:
        problem = iin_problem(iin)
        if problem:
            add("iin", IIN_MESSAGES[problem])
        else:
            if birth and iin_birth_date(iin) != birth:
                add("iin", _("The IIN's date of birth does not match the date of birth entered."))
            if values.get("sex") in ("M", "F") and iin_sex(iin) not in (None, values["sex"]):
                add("iin", _("The IIN's sex digit does not match the sex entered."))
    return errors


def _normalise(values: dict) -> dict:
    out = dict(values)
    for name in ("last_name", "first_name", "patronymic"):
        if name in out:
            out[name] = _clean_text(out[name])
    for name in ("last_name_latin", "first_name_latin"):
        if name in out:
            out[name] = _clean_text(out[name]).upper()
    if "iin" in out:
        out["iin"] = (out["iin"] or "").replace(" ", "") or None
    return out


def _key(person: Person) -> str:
    return name_key(person.last_name, person.first_name, person.patronymic, person.last_name_latin, person.first_name_latin)


def _person_audit(person: Person) -> dict:
    return snapshot(person, PERSON_FIELDS)


@transaction.atomic
def person_create(
    *,
    last_name: str,
    first_name: str,
    birth_date: date | None,
    sex: str,
    region: Region | None,
    patronymic: str = "",
    last_name_latin: str = "",
    first_name_latin: str = "",
    citizenship: Country | None = None,
    iin: str | None = None,
    by,
    confirmed_new: bool = False,
    today: date | None = None,
) -> Person:
    """Register a person. Refuses with field errors; raises PossibleDuplicates when the person may already be
    registered (same IIN or similar name and the same date of birth), unless the officer `confirmed_new`.
    The same IIN can never be registered twice."""
    require(by, Perm.PEOPLE_CHANGE)
    values = _normalise(dict(
        last_name=last_name, first_name=first_name, patronymic=patronymic, last_name_latin=last_name_latin,
        first_name_latin=first_name_latin, birth_date=birth_date, sex=sex, region=region,
        citizenship=citizenship, iin=iin,
    ))
    errors = _validate_person(values, by=by, today=today or timezone.localdate())
    if errors:
        raise ValidationError(errors)
    candidates, hidden = person_duplicate_candidates(user=by, **{k: values[k] for k in (
        "last_name", "first_name", "patronymic", "last_name_latin", "first_name_latin", "birth_date", "iin")})
    if values["iin"] and Person.objects.filter(iin=values["iin"]).exists():
        raise PossibleDuplicates(candidates, hidden, {"iin": [_("A person with this IIN is already registered.")]})
    if (candidates or hidden) and not confirmed_new:
        raise PossibleDuplicates(candidates, hidden)
    person = Person(**values, created_by=by)
    person.name_key = _key(person)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:  # the same IIN registered by a concurrent request
        raise ValidationError({"iin": [_("A person with this IIN is already registered.")]})
    audit_record(by=by, action="people.person.create", obj=person, region_code=region.code, after=_person_audit(person),
                 reason=_("Registered despite possible duplicates.") if candidates or hidden else "")
    return person


@transaction.atomic
def person_update(*, person: Person, by, reason: str = "", today: date | None = None, **changes) -> Person:
    """Change a person's details; records what changed, before and after."""
    require(by, Perm.PEOPLE_CHANGE)
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"person_update got unknown fields: {sorted(unknown)}")
    person = Person.objects.select_for_update().get(pk=person.pk)
    _require_in_scope(by, person.region_id)
    before = _person_audit(person)
    values = {name: getattr(person, name) for name in PERSON_FIELDS}
    values.update(_normalise(changes))
    errors = _validate_person(values, by=by, today=today or timezone.localdate())
    if values["iin"] and Person.objects.filter(iin=values["iin"]).exclude(pk=person.pk).exists():
        errors.setdefault("iin", []).append(_("A person with this IIN is already registered."))
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(person, name, value)
    person.name_key = _key(person)
    person.save()
    after = _person_audit(person)
    changed = {k for k in after if after[k] != before[k]}
    if changed:
        audit_record(
            by=by, action="people.person.update", obj=person, region_code=person.region.code,
            before={k: before[k] for k in sorted(changed)}, after={k: after[k] for k in sorted(changed)}, reason=reason,
        )
    return person


@transaction.atomic
def person_archive(*, person: Person, by, reason: str) -> Person:
    """Archive (soft-delete) a person record, with who and why. Case data is never deleted."""
    require(by, Perm.PEOPLE_DELETE)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the record is archived.")]})
    person.deleted_at, person.deleted_by, person.deletion_reason = timezone.now(), by, reason.strip()
    person.save(update_fields=["deleted_at", "deleted_by", "deletion_reason", "updated_at"])
    audit_record(by=by, action="people.person.archive", obj=person, region_code=person.region.code, reason=reason)
    return person


@transaction.atomic
def person_merge(*, keep: Person, duplicate: Person, by, reason: str) -> Person:
    """Merge a duplicate into the record kept: its documents and family memberships move to the kept person,
    missing details are filled from it, and the duplicate is archived pointing at the kept record."""
    require(by, Perm.PEOPLE_MERGE)
    if keep.pk == duplicate.pk:
        raise ValidationError({"duplicate": [_("A record cannot be merged into itself.")]})
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why these records are the same person.")]})
    _require_in_scope(by, keep.region_id, duplicate.region_id)
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    duplicate = Person.objects.select_for_update().get(pk=duplicate.pk)
    if keep.iin and duplicate.iin and keep.iin != duplicate.iin:
        raise ValidationError({"duplicate": [_("These records have different IINs: they are different persons.")]})
    before_keep = _person_audit(keep)
    filled = []
    for name in ("patronymic", "last_name_latin", "first_name_latin", "citizenship", "iin"):
        if not getattr(keep, name) and getattr(duplicate, name):
            setattr(keep, name, getattr(duplicate, name))
            filled.append(name)
    moved_docs = list(duplicate.documents.values_list("id", flat=True))
    IdentityDocument.all_objects.filter(person=duplicate).update(person=keep)
    memberships = list(FamilyMember.objects.filter(person=duplicate))
    for m in memberships:
        if FamilyMember.objects.filter(family=m.family, person=keep).exists():
            m.delete()  # the kept person is already in this family; the link row is not case data
        else:
            m.person = keep
            m.save(update_fields=["person"])
    iin = duplicate.iin
    duplicate.iin = None if "iin" in filled else duplicate.iin
    duplicate.merged_into = keep
    duplicate.deleted_at, duplicate.deleted_by = timezone.now(), by
    duplicate.deletion_reason = _("Merged into record %(id)s: %(reason)s") % {"id": keep.pk, "reason": reason.strip()}
    duplicate.save()
    keep.name_key = _key(keep)
    keep.save()
    audit_record(
        by=by, action="people.person.merge", obj=keep, region_code=keep.region.code, reason=reason,
        before={"kept": before_keep, "duplicate": _person_audit(duplicate) | {"iin": iin}},
        after={"kept": _person_audit(keep), "filled_from_duplicate": filled, "documents_moved": moved_docs,
               "duplicate_id": duplicate.pk},
    )
    audit_record(by=by, action="people.person.merged_away", obj=duplicate, region_code=duplicate.region.code,
                 reason=reason, after={"merged_into": keep.pk})
    return keep


def _country_for_mrz(code: str) -> Country | None:
    code = code.replace("<", "")
    if code == "D":  # Germany prints D, not DEU (ICAO 9303 part 3)
        code = "DEU"
    return Country.objects.filter(alpha3=code).first()


@transaction.atomic
def document_add(
    *,
    person: Person,
    kind: str,
    by,
    number: str = "",
    issuing_country: Country | None = None,
    issued_on: date | None = None,
    expires_on: date | None = None,
    mrz: str = "",
) -> IdentityDocument:
    """Add an identity document. A pasted or scanned MRZ is parsed and its check digits verified (ICAO 9303);
    what it carries fills empty fields and must agree with what was typed and with the person."""
    require(by, Perm.PEOPLE_CHANGE)
    _require_in_scope(by, person.region_id)
    errors: dict[str, list[str]] = {}
    number = "".join(number.split()).upper()
    mrz = "\n".join(line.strip().upper() for line in mrz.strip().splitlines() if line.strip())
    if kind not in DocumentKind.values:
        errors.setdefault("kind", []).append(_("Choose a document type."))
    if mrz:
        parsed = parse_mrz(mrz)
        for problem in parsed.problems:
            errors.setdefault("mrz", []).append(mrz_message(problem.code, problem.field))
        if parsed.is_valid:
            number = number or parsed.document_number
            issuing_country = issuing_country or _country_for_mrz(parsed.issuing_state)
            expires_on = expires_on or parsed.expiry_date
            if parsed.document_number != number:
                errors.setdefault("number", []).append(_("The number differs from the one in the machine-readable zone."))
            if parsed.birth_date and parsed.birth_date != person.birth_date:
                errors.setdefault("mrz", []).append(_("The date of birth in the machine-readable zone is not the person's."))
    if not number:
        errors.setdefault("number", []).append(_("This field is required."))
    elif not number.isalnum():
        errors.setdefault("number", []).append(_("A document number has letters and digits only."))
    if issuing_country is None:
        errors.setdefault("issuing_country", []).append(_("This field is required."))
    if issued_on and expires_on and expires_on <= issued_on:
        errors.setdefault("expires_on", []).append(_("The expiry date must be after the date of issue."))
    if issued_on and issued_on < person.birth_date:
        errors.setdefault("issued_on", []).append(_("The document cannot be issued before the person was born."))
    if not errors and IdentityDocument.objects.filter(issuing_country=issuing_country, kind=kind, number=number).exists():
        errors.setdefault("number", []).append(_("A document with this number is already registered."))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            doc = IdentityDocument.objects.create(
                person=person, kind=kind, number=number, issuing_country=issuing_country, issued_on=issued_on,
                expires_on=expires_on, mrz=mrz,
            )
    except IntegrityError:  # a concurrent insert of the same number
        raise ValidationError({"number": [_("A document with this number is already registered.")]})
    audit_record(by=by, action="people.document.add", obj=doc, region_code=person.region.code, after=snapshot(doc))
    return doc


@transaction.atomic
def document_archive(*, document: IdentityDocument, by, reason: str) -> IdentityDocument:
    require(by, Perm.PEOPLE_CHANGE)
    _require_in_scope(by, document.person.region_id)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the document is archived.")]})
    document.deleted_at, document.deleted_by, document.deletion_reason = timezone.now(), by, reason.strip()
    document.save(update_fields=["deleted_at", "deleted_by", "deletion_reason", "updated_at"])
    audit_record(by=by, action="people.document.archive", obj=document, region_code=document.person.region.code, reason=reason)
    return document


@transaction.atomic
def family_create(*, head: Person, by, name: str = "", region: Region | None = None) -> Family:
    """A family (household) around its head; the family's region defaults to the head's."""
    require(by, Perm.PEOPLE_CHANGE)
    region = region or head.region
    errors: dict[str, list[str]] = {}
    _require_region(by, region, errors)
    if errors:
        raise ValidationError(errors)
    family = Family.objects.create(region=region, name=name.strip() or head.last_name)
    FamilyMember.objects.create(family=family, person=head, relation=Relation.HEAD)
    audit_record(by=by, action="people.family.create", obj=family, region_code=region.code,
                 after={"name": family.name, "head": head.pk, "region": region.code})
    return family


@transaction.atomic
def family_member_add(*, family: Family, person: Person, relation: str, by) -> FamilyMember:
    require(by, Perm.PEOPLE_CHANGE)
    errors: dict[str, list[str]] = {}
    _require_region(by, family.region, errors)
    scope = region_ids_in_scope(by)
    if scope is not None and person.region_id not in scope:
        errors.setdefault("person", []).append(_("There is no such person in your regions."))
    if relation not in Relation.values or relation == Relation.HEAD:
        errors.setdefault("relation", []).append(_("Choose how the person is related to the head of the family."))
    if FamilyMember.objects.filter(family=family, person=person).exists():
        errors.setdefault("person", []).append(_("This person is already a member of the family."))
    if errors:
        raise ValidationError(errors)
    member = FamilyMember.objects.create(family=family, person=person, relation=relation)
    audit_record(by=by, action="people.family.member_add", obj=family, region_code=family.region.code,
                 after={"person": person.pk, "relation": relation})
    return member


@transaction.atomic
def family_member_remove(*, member: FamilyMember, by, reason: str) -> None:
    require(by, Perm.PEOPLE_CHANGE)
    if member.relation == Relation.HEAD:
        raise ValidationError({"person": [_("The head of the family cannot be removed; archive the family instead.")]})
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the person leaves the family.")]})
    family = member.family
    audit_record(by=by, action="people.family.member_remove", obj=family, region_code=family.region.code,
                 before={"person": member.person_id, "relation": member.relation}, reason=reason)
    member.delete()  # a membership link, not case data; the audit event keeps who was in the family
