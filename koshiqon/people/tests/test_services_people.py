"""People services: validation with field errors, duplicates, region scope, and their audit events."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from koshiqon.core.audit import audit_verify
from koshiqon.core.models import AuditEvent
from koshiqon.people.domain.iin import make_iin
from koshiqon.people.domain.mrz import make_td3
from koshiqon.people.models import FamilyMember, IdentityDocument, Person
from koshiqon.people.services import (
    PossibleDuplicates,
    document_add,
    family_create,
    family_member_add,
    person_archive,
    person_create,
    person_merge,
    person_update,
)
from koshiqon.reference.models import Country, Region

pytestmark = pytest.mark.django_db
BIRTH = date(1985, 3, 21)


def _new(by, **overrides):
    values = dict(
        last_name="Серікбаева", first_name="Айгүл", patronymic="Қайратқызы", birth_date=BIRTH, sex="F",
        region=Region.objects.get(code="KZ-55"), citizenship=Country.objects.get(alpha2="KZ"),
        iin=make_iin(BIRTH, "F", 17), by=by,
    )
    values.update(overrides)
    return person_create(**values)


def _errors(exc_info):
    return exc_info.value.message_dict


def test_registering_a_person_writes_an_audit_event_with_the_new_values(officer):
    person = _new(officer)
    event = AuditEvent.objects.get(action="people.person.create")
    assert event.object_id == str(person.pk) and event.actor == officer and event.region_code == "KZ-55"
    assert event.after["iin"] == person.iin and event.after["last_name"] == "Серікбаева"
    assert audit_verify() is None


def test_a_wrong_iin_check_digit_is_a_field_error_and_nothing_is_saved(officer):
    good = make_iin(BIRTH, "F", 17)
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    with pytest.raises(ValidationError) as exc:
        _new(officer, iin=bad)
    assert "iin" in _errors(exc) and "check digit" in _errors(exc)["iin"][0]
    assert not Person.objects.exists() and not AuditEvent.objects.exists()


def test_an_iin_that_disagrees_with_the_birth_date_is_refused(officer):
    with pytest.raises(ValidationError) as exc:
        _new(officer, iin=make_iin(date(1986, 3, 21), "F", 17))
    assert "iin" in _errors(exc)


def test_required_fields_and_a_future_birth_date_are_reported_together(officer):
    with pytest.raises(ValidationError) as exc:
        _new(officer, last_name=" ", birth_date=date(2999, 1, 1), iin=None, last_name_latin="Серік")
    assert {"last_name", "birth_date", "last_name_latin"} <= set(_errors(exc))


def test_a_regional_officer_cannot_register_a_person_in_another_region(other_officer):
    with pytest.raises(ValidationError) as exc:
        _new(other_officer)
    assert "region" in _errors(exc)


def test_a_read_only_inspector_cannot_register_anyone(viewer):
    with pytest.raises(PermissionDenied):
        _new(viewer)


def test_the_same_iin_can_never_be_registered_twice(officer):
    first = _new(officer)
    with pytest.raises(PossibleDuplicates) as exc:
        _new(officer, last_name="Басқа", first_name="Адам", confirmed_new=True)
    assert "iin" in exc.value.errors
    assert [c.person.pk for c in exc.value.candidates] == [first.pk]


def test_a_latin_spelling_of_the_same_name_and_birth_date_is_proposed_as_a_duplicate(officer):
    first = _new(officer)
    with pytest.raises(PossibleDuplicates) as exc:
        _new(officer, last_name="Serikbayeva", first_name="Aigul", patronymic="", iin=None)
    assert exc.value.candidates[0].person.pk == first.pk
    assert "name_and_birth_date" in exc.value.candidates[0].reasons
    confirmed = _new(officer, last_name="Serikbayeva", first_name="Aigul", patronymic="", iin=None, confirmed_new=True)
    assert confirmed.pk != first.pk
    assert "duplicates" in AuditEvent.objects.filter(object_id=str(confirmed.pk)).get().reason


def test_a_duplicate_in_a_region_the_officer_cannot_see_is_counted_not_shown(officer, other_officer):
    _new(officer)
    with pytest.raises(PossibleDuplicates) as exc:
        _new(other_officer, region=Region.objects.get(code="KZ-75"), iin=None)
    assert exc.value.candidates == [] and exc.value.hidden == 1


def test_an_update_records_only_what_changed_before_and_after(officer):
    person = _new(officer)
    person_update(person=person, by=officer, reason="typo", first_name="Айгуль", last_name_latin="serikbayeva")
    event = AuditEvent.objects.get(action="people.person.update")
    assert event.before == {"first_name": "Айгүл", "last_name_latin": ""}
    assert event.after == {"first_name": "Айгуль", "last_name_latin": "SERIKBAYEVA"}
    assert event.reason == "typo"
    assert "serikbaeva" in Person.objects.get(pk=person.pk).name_key


def test_archiving_needs_a_reason_and_keeps_the_record(national, officer):
    person = _new(officer)
    with pytest.raises(PermissionDenied):
        person_archive(person=person, by=officer, reason="x")
    with pytest.raises(ValidationError):
        person_archive(person=person, by=national, reason="  ")
    person_archive(person=person, by=national, reason="registered by mistake")
    assert not Person.objects.filter(pk=person.pk).exists()
    assert Person.all_objects.get(pk=person.pk).deletion_reason == "registered by mistake"


def test_merging_moves_documents_and_families_and_archives_the_duplicate(officer):
    keep = _new(officer)
    dup = _new(officer, last_name="Serikbayeva", first_name="Aigul", patronymic="", iin=None, confirmed_new=True)
    doc = document_add(person=dup, kind="passport", number="N1234567", issuing_country=Country.objects.get(alpha2="KZ"), by=officer)
    family = family_create(head=dup, by=officer)
    person_merge(keep=keep, duplicate=dup, by=officer, reason="same passport")
    assert IdentityDocument.objects.get(pk=doc.pk).person_id == keep.pk
    assert FamilyMember.objects.get(family=family).person_id == keep.pk
    merged = Person.all_objects.get(pk=dup.pk)
    assert merged.merged_into_id == keep.pk and merged.deleted_at is not None
    assert AuditEvent.objects.filter(action="people.person.merge", object_id=str(keep.pk)).exists()
    assert audit_verify() is None


def test_records_with_different_iins_cannot_be_merged(officer):
    a = _new(officer)
    b = _new(officer, iin=make_iin(BIRTH, "F", 40), confirmed_new=True)
    with pytest.raises(ValidationError):
        person_merge(keep=a, duplicate=b, by=officer, reason="same")


def test_a_pasted_mrz_fills_the_document_and_its_check_digits_are_verified(officer):
    person = _new(officer)
    mrz = make_td3(
        document_code="P", issuing_state="KAZ", surname="SERIKBAYEVA", given_names="AIGUL",
        document_number="N12345678", nationality="KAZ", birth_date=BIRTH, sex="F",
        expiry_date=date(2031, 5, 1), personal_number=person.iin,
    )
    doc = document_add(person=person, kind="passport", mrz=mrz, by=officer)
    assert doc.number == "N12345678" and doc.issuing_country.alpha2 == "KZ" and doc.expires_on == date(2031, 5, 1)
    lines = mrz.splitlines()
    broken = lines[0] + "\n" + lines[1][:9] + ("0" if lines[1][9] != "0" else "1") + lines[1][10:]
    with pytest.raises(ValidationError) as exc:
        document_add(person=person, kind="passport", mrz=broken, by=officer)
    assert "mrz" in _errors(exc)


def test_the_same_document_number_cannot_be_registered_twice(officer):
    person = _new(officer)
    kz = Country.objects.get(alpha2="KZ")
    document_add(person=person, kind="passport", number="n 123 456", issuing_country=kz, by=officer)
    with pytest.raises(ValidationError) as exc:
        document_add(person=person, kind="passport", number="N123456", issuing_country=kz, by=officer)
    assert "number" in _errors(exc)


def test_a_family_has_one_head_and_members_are_audited(officer):
    head = _new(officer)
    child = _new(officer, first_name="Әлия", birth_date=date(2012, 6, 1), iin=make_iin(date(2012, 6, 1), "F", 3))
    family = family_create(head=head, by=officer)
    family_member_add(family=family, person=child, relation="child", by=officer)
    with pytest.raises(ValidationError):
        family_member_add(family=family, person=child, relation="child", by=officer)
    assert family.members.count() == 2
    assert AuditEvent.objects.filter(object_type="people.family").count() == 2


def test_an_officer_cannot_add_a_person_of_another_region_to_a_family(officer, other_officer):
    family = family_create(head=_new(officer), by=officer)
    stranger = _new(other_officer, first_name="Әлия", region=Region.objects.get(code="KZ-75"),
                    iin=make_iin(date(2012, 6, 1), "F", 3), birth_date=date(2012, 6, 1))
    with pytest.raises(ValidationError) as exc:
        family_member_add(family=family, person=stranger, relation="child", by=officer)
    assert "person" in exc.value.message_dict
    assert not FamilyMember.objects.filter(person=stranger).exists()


def test_an_officer_cannot_archive_a_document_of_another_region(officer, other_officer):
    from koshiqon.people.services import document_archive

    holder = _new(other_officer, region=Region.objects.get(code="KZ-75"))
    document = IdentityDocument.objects.create(
        person=holder, kind="passport", number="N7654321", issuing_country=Country.objects.get(alpha2="KZ"),
        issued_on=date(2020, 1, 10), expires_on=date(2030, 1, 9),
    )
    with pytest.raises(PermissionDenied):
        document_archive(document=document, by=officer, reason="lost")
    assert IdentityDocument.objects.filter(pk=document.pk).exists()
