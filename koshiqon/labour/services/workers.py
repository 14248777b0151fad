"""The foreign worker of a permit application: found in the person registry by passport, or registered.

A foreigner is identified by the passport: the issuing country and the number. The same passport names the
same person in every application, so an employer filing for a worker already registered (by an officer, or by
an earlier application) reuses that record.

A worker not yet registered is registered with the passport:
- by an officer who may register persons (people.change in the region of work): through the people services,
  with their validation and audit;
- by an employer account (labour.apply): employers may not change the person registry at large, so the labour
  service registers exactly this one person with this one passport, validated here and audited as a people
  write made by the employer, with the application as the reason (ADR 0009, "Permits": until the people app
  offers a registration for portal users, this is the one narrow path for it).
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiqon.core.audit import AuditItem, audit_record_many, object_key, snapshot
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import can, region_ids_in_scope
from koshiqon.people.domain.names import name_key
from koshiqon.people.models import DocumentKind, IdentityDocument, Person
from koshiqon.people.services import document_add, person_create
from koshiqon.reference.models import Country, Region

PASSPORT_FIELDS = ("last_name_latin", "first_name_latin", "birth_date", "sex", "citizenship", "passport_number",
                   "passport_expires_on")
EARLIEST_BIRTH = date(1900, 1, 1)
# The Labour Code allows an employment contract from 16 (L for foreign workers: no stricter rule found).
MIN_WORKER_AGE = 16
_LATIN = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ -'")


def _clean_latin(value: Any) -> str:
    return " ".join(str(value or "").split()).upper()


def _age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def passport_errors(values: dict[str, Any], *, on: date) -> dict[str, list[str]]:
    """Field errors of a new worker's passport data (`worker.<field>` keys), in the active language."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(f"worker.{name}", []).append(message)

    for name in ("last_name_latin", "first_name_latin"):
        text = _clean_latin(values.get(name))
        if not text:
            add(name, _("This field is required."))
        elif not set(text) <= _LATIN:
            add(name, _("Use Latin letters only, as in the passport."))
    birth = values.get("birth_date")
    if not isinstance(birth, date):
        add("birth_date", _("This field is required."))
    elif birth < EARLIEST_BIRTH or birth > on:
        add("birth_date", _("Enter a real date of birth."))
    elif _age_on(birth, on) < MIN_WORKER_AGE:
        add("birth_date", _("A foreign worker must be at least %(age)s years old.") % {"age": MIN_WORKER_AGE})
    if values.get("sex") not in ("M", "F"):
        add("sex", _("Choose the sex."))
    citizenship = values.get("citizenship")
    if not isinstance(citizenship, Country):
        add("citizenship", _("Choose the country of citizenship."))
    elif citizenship.alpha2 == "KZ":
        add("citizenship", _("A citizen of Kazakhstan needs no work permit."))
    number = "".join(str(values.get("passport_number") or "").split()).upper()
    if not number:
        add("passport_number", _("This field is required."))
    elif not number.isalnum() or len(number) > 20:
        add("passport_number", _("A document number has letters and digits only."))
    expires = values.get("passport_expires_on")
    if expires is not None and (not isinstance(expires, date) or expires <= on):
        add("passport_expires_on", _("The passport has expired."))
    return errors


def worker_by_passport(*, citizenship: Country, number: str) -> Person | None:
    """The person holding this passport (country and number), or None. Passports are unique per country."""
    document = (IdentityDocument.objects.select_related("person")
                .filter(kind=DocumentKind.PASSPORT, issuing_country=citizenship,
                        number="".join(number.split()).upper()).first())
    return document.person if document else None


def _register_directly(values: dict[str, Any], *, region: Region, by, reason: str) -> Person:
    """An employer's registration of its worker: the person and the passport, audited as people writes."""
    person = Person(
        last_name=values["last_name_latin"], first_name=values["first_name_latin"],
        last_name_latin=values["last_name_latin"], first_name_latin=values["first_name_latin"],
        birth_date=values["birth_date"], sex=values["sex"], citizenship=values["citizenship"], region=region,
        created_by=by,
    )
    person.name_key = name_key(person.last_name, person.first_name, "", person.last_name_latin,
                               person.first_name_latin)
    try:
        with transaction.atomic():
            person.save()
            document = IdentityDocument.objects.create(
                person=person, kind=DocumentKind.PASSPORT, number=values["passport_number"],
                issuing_country=values["citizenship"], expires_on=values.get("passport_expires_on"),
            )
    except IntegrityError:  # the same passport registered by a concurrent request
        raise ValidationError({"worker.passport_number": [_("A document with this number is already registered.")]})
    items = []
    for obj, action in ((person, "people.person.create"), (document, "people.document.add")):
        object_type, object_id = object_key(obj)
        items.append(AuditItem(action, object_type, object_id, region.code, None, snapshot(obj), reason))
    audit_record_many(by=by, items=items)
    return person


@transaction.atomic
def worker_register(*, values: dict[str, Any], region: Region, by, reason: str = "",
                    today: date | None = None) -> Person:
    """The worker with this passport: the registered person when the passport is known (the date of birth
    must agree), else a new person registered with the passport (see the module's docstring)."""
    on = today or timezone.localdate()
    values = dict(values)
    values["last_name_latin"] = _clean_latin(values.get("last_name_latin"))
    values["first_name_latin"] = _clean_latin(values.get("first_name_latin"))
    values["passport_number"] = "".join(str(values.get("passport_number") or "").split()).upper()
    errors = passport_errors(values, on=on)
    if errors:
        raise ValidationError(errors)
    known = worker_by_passport(citizenship=values["citizenship"], number=values["passport_number"])
    if known is not None:
        if known.birth_date != values["birth_date"]:
            raise ValidationError({"worker.passport_number": [
                _("This passport is registered to a person with another date of birth: check the number.")]})
        return known
    scope = region_ids_in_scope(by)
    if can(by, Perm.PEOPLE_CHANGE) and (scope is None or region.pk in scope):
        try:
            person = person_create(
                last_name=values["last_name_latin"], first_name=values["first_name_latin"],
                last_name_latin=values["last_name_latin"], first_name_latin=values["first_name_latin"],
                birth_date=values["birth_date"], sex=values["sex"], region=region,
                citizenship=values["citizenship"], by=by, confirmed_new=True, today=on,
            )
            document_add(person=person, kind=DocumentKind.PASSPORT, number=values["passport_number"],
                         issuing_country=values["citizenship"], expires_on=values.get("passport_expires_on"), by=by)
        except ValidationError as exc:
            raise ValidationError({f"worker.{_PEOPLE_FIELDS.get(k, k)}": v for k, v in exc.message_dict.items()})
        return person
    return _register_directly(values, region=region, by=by, reason=reason)


_PEOPLE_FIELDS = {"number": "passport_number", "expires_on": "passport_expires_on", "last_name": "last_name_latin",
                  "first_name": "first_name_latin", "issuing_country": "citizenship"}
