"""Registering and editing a person through the pages: field errors next to their fields, duplicates shown
side by side, and the officer's confirmation that a look-alike is a different person."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape

from koshiqon.core.models import AuditEvent
from koshiqon.people.domain.iin import make_iin
from koshiqon.people.factories import PersonFactory
from koshiqon.people.messages import IIN_MESSAGES
from koshiqon.people.models import Person

BIRTH = date(1985, 3, 9)
GOOD_IIN = make_iin(BIRTH, "F", 4321)
WRONG_IIN = GOOD_IIN[:11] + str((int(GOOD_IIN[11]) + 1) % 10)


def _form(**changes) -> dict:
    data = {
        "last_name": "Серікбаева", "first_name": "Айгүл", "patronymic": "", "last_name_latin": "",
        "first_name_latin": "", "birth_date": BIRTH.isoformat(), "sex": "F", "iin": GOOD_IIN,
        "citizenship": "KZ", "region": "KZ-55",
    }
    return data | changes


def _field_errors(html: str, name: str) -> str:
    found = re.search(rf'<ul class="field__errors" id="id_{name}_errors">(.*?)</ul>', html, re.S)
    return found.group(1) if found else ""


@pytest.mark.django_db
class TestRegisterPerson:
    def test_a_wrong_iin_is_shown_next_to_the_iin_field_and_nothing_is_saved(self, client, officer):
        client.force_login(officer)
        response = client.post(reverse("people:person_create"), _form(iin=WRONG_IIN))
        html = response.content.decode()
        assert response.status_code == 200
        assert escape(str(IIN_MESSAGES["check_digit"])) in _field_errors(html, "iin")
        assert 'aria-invalid="true"' in re.search(r'<input[^>]*name="iin"[^>]*>', html).group(0)
        assert _field_errors(html, "last_name") == ""
        assert not Person.objects.exists()

    def test_fixing_the_iin_saves_the_person_and_opens_their_page(self, client, officer):
        client.force_login(officer)
        client.post(reverse("people:person_create"), _form(iin=WRONG_IIN))
        response = client.post(reverse("people:person_create"), _form())
        person = Person.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("people:person_detail", args=[person.pk])
        assert person.iin == GOOD_IIN and person.region.code == "KZ-55"
        assert AuditEvent.objects.filter(action="people.person.create", object_id=str(person.pk)).exists()

    def test_missing_names_and_a_future_birth_date_are_each_reported_at_their_field(self, client, officer):
        client.force_login(officer)
        html = client.post(
            reverse("people:person_create"), _form(last_name="", first_name="", birth_date="2999-01-01", iin="")
        ).content.decode()
        assert _field_errors(html, "last_name") and _field_errors(html, "first_name")
        assert _field_errors(html, "birth_date")
        assert not Person.objects.exists()

    def test_an_officer_may_not_register_a_person_in_another_region(self, client, officer):
        client.force_login(officer)
        html = client.post(reverse("people:person_create"), _form(region="KZ-75")).content.decode()
        assert _field_errors(html, "region")
        assert not Person.objects.exists()

    def test_the_form_is_in_russian_after_the_user_chose_russian(self, client, officer):
        client.force_login(officer)
        client.post(reverse("set_language"), {"language": "ru", "next": "/"})
        html = client.get(reverse("people:person_create")).content.decode()
        assert '<html lang="ru">' in html

    def test_the_latin_spelling_is_suggested_from_the_cyrillic_name(self, client, officer):
        client.force_login(officer)
        url = reverse("people:latin_hint")
        html = client.get(url, {"field": "last_name_latin", "last_name": "Әбдіқадыров", "last_name_latin": ""}).content.decode()
        assert 'value="ABDIKADYROV"' in html and 'name="last_name_latin"' in html
        kept = client.get(url, {"field": "last_name_latin", "last_name": "Әбдіқадыров", "last_name_latin": "ABDYKADYROV"})
        assert 'value="ABDYKADYROV"' in kept.content.decode()


@pytest.mark.django_db
class TestDuplicatesScreen:
    def test_a_similar_name_with_the_same_birth_date_shows_the_records_side_by_side(self, client, officer, person):
        client.force_login(officer)
        response = client.post(reverse("people:person_create"), _form(
            last_name="Абдикадыров", first_name="Жанар", birth_date=person.birth_date.isoformat(), sex="M", iin="",
        ))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Әбдіқадыров Жанар" in html and "ABDIKADYROV ZHANAR" in html
        assert reverse("people:person_detail", args=[person.pk]) in html
        assert 'name="confirmed_new"' in html
        assert Person.objects.count() == 1

    def test_the_officer_registers_a_look_alike_after_confirming_it_is_a_different_person(self, client, officer, person):
        client.force_login(officer)
        data = _form(last_name="Абдикадыров", first_name="Жанар", birth_date=person.birth_date.isoformat(), sex="M", iin="")
        unconfirmed = client.post(reverse("people:person_create"), data | {"confirm": "1"})
        assert _field_errors(unconfirmed.content.decode(), "confirmed_new")
        assert Person.objects.count() == 1
        response = client.post(reverse("people:person_create"), data | {"confirm": "1", "confirmed_new": "on"})
        assert response.status_code == 302
        assert Person.objects.count() == 2

    def test_the_same_iin_cannot_be_registered_even_with_confirmation(self, client, officer, person):
        client.force_login(officer)
        data = _form(last_name="Басқа", first_name="Адам", birth_date=person.birth_date.isoformat(), sex="M", iin=person.iin)
        html = client.post(reverse("people:person_create"), data | {"confirmed_new": "on"}).content.decode()
        assert 'name="confirmed_new"' not in html
        assert reverse("people:person_detail", args=[person.pk]) in html
        assert Person.objects.count() == 1

    def test_look_alikes_in_regions_the_officer_cannot_see_are_counted_but_not_shown(self, client, officer, reference):
        from koshiqon.reference.models import Region

        hidden = PersonFactory(region=Region.objects.get(code="KZ-75"), last_name="Жұмабеков", first_name="Ерлан",
                               last_name_latin="ZHUMABEKOV", first_name_latin="YERLAN", iin=None)
        client.force_login(officer)
        html = client.post(reverse("people:person_create"), _form(
            last_name="Жумабеков", first_name="Ерлан", birth_date=hidden.birth_date.isoformat(), sex="M", iin="",
        )).content.decode()
        assert "1" in re.search(r'<div class="notice notice--warning" role="note"><p>(.*?)</p>', html, re.S).group(1)
        assert reverse("people:person_detail", args=[hidden.pk]) not in html

    def test_back_to_the_form_keeps_what_was_typed(self, client, officer, person):
        client.force_login(officer)
        data = _form(last_name="Абдикадыров", first_name="Жанар", birth_date=person.birth_date.isoformat(), sex="M", iin="")
        html = client.post(reverse("people:person_create"), data | {"back": "1"}).content.decode()
        assert 'value="Абдикадыров"' in html and "This person may already be registered" not in html


@pytest.mark.django_db
class TestEditPerson:
    def test_an_edit_with_a_reason_saves_and_appears_in_the_audit_trail(self, client, officer, person):
        client.force_login(officer)
        data = _form(last_name=person.last_name, first_name="Жанарбек", birth_date=person.birth_date.isoformat(),
                     sex="M", iin=person.iin, last_name_latin="ABDIKADYROV", first_name_latin="ZHANARBEK")
        response = client.post(reverse("people:person_edit", args=[person.pk]), data | {"reason": "Typing error"})
        assert response.status_code == 302
        person.refresh_from_db()
        assert person.first_name == "Жанарбек"
        trail = client.get(reverse("people:person_audit", args=[person.pk])).content.decode()
        assert "Typing error" in trail
        assert '<span class="before">Жанар</span>' in trail and '<span class="after">Жанарбек</span>' in trail

    def test_a_wrong_iin_on_edit_is_shown_at_the_iin_field_and_the_record_is_unchanged(self, client, officer, person):
        client.force_login(officer)
        data = _form(last_name=person.last_name, first_name=person.first_name, birth_date=person.birth_date.isoformat(),
                     sex="M", iin=person.iin[:11] + str((int(person.iin[11]) + 1) % 10))
        html = client.post(reverse("people:person_edit", args=[person.pk]), data).content.decode()
        assert escape(str(IIN_MESSAGES["check_digit"])) in _field_errors(html, "iin")
        old_iin = person.iin
        person.refresh_from_db()
        assert person.iin == old_iin
