"""The registry list (search in any script, filters, htmx, pages), documents with a pasted MRZ, families,
merging and archiving, as the officer does them through the pages."""

from datetime import date

import pytest
from django.test import override_settings
from django.urls import reverse

from koshiqon.core.models import AuditEvent
from koshiqon.people.domain.mrz import make_td3
from koshiqon.people.factories import PersonFactory
from koshiqon.people.models import IdentityDocument, Person
from koshiqon.reference.models import Country


def _mrz(person, number="N12345678", **changes):
    values = dict(surname="ABDIKADYROV", given_names="ZHANAR", document_number=number, nationality="KAZ",
                  birth_date=person.birth_date, sex="M", expiry_date=date(2031, 4, 1)) | changes
    return make_td3(**values)


@pytest.mark.django_db
class TestRegistryList:
    @pytest.mark.parametrize("query", ["Abdikadyrov", "Абдикадыров", "әбдіқадыров жанар"])
    def test_a_person_is_found_by_any_spelling_of_the_name(self, client, officer, person, query):
        PersonFactory(last_name="Серікбаев", first_name="Нұрлан", last_name_latin="SERIKBAYEV", first_name_latin="NURLAN")
        client.force_login(officer)
        html = client.get(reverse("people:person_list"), {"q": query}).content.decode()
        assert "Әбдіқадыров Жанар" in html and "Серікбаев" not in html

    def test_a_person_is_found_by_iin_and_by_document_number(self, client, officer, person):
        IdentityDocument.objects.create(person=person, kind="passport", number="N7654321",
                                        issuing_country=Country.objects.get(alpha2="KZ"))
        client.force_login(officer)
        assert "Әбдіқадыров" in client.get(reverse("people:person_list"), {"q": person.iin}).content.decode()
        assert "Әбдіқадыров" in client.get(reverse("people:person_list"), {"q": "n7654321"}).content.decode()

    def test_filters_narrow_the_list(self, client, officer, person):
        PersonFactory(last_name="Ли", first_name="Мэй", sex="F", citizenship=Country.objects.get(alpha2="CN"))
        client.force_login(officer)
        html = client.get(reverse("people:person_list"), {"citizenship": "CN"}).content.decode()
        assert "Ли Мэй" in html and "Әбдіқадыров" not in html
        html = client.get(reverse("people:person_list"), {"sex": "M"}).content.decode()
        assert "Ли Мэй" not in html and "Әбдіқадыров" in html

    def test_an_htmx_search_returns_only_the_results(self, client, officer, person):
        client.force_login(officer)
        response = client.get(reverse("people:person_list"), {"q": "Abdikadyrov"}, headers={"HX-Request": "true"})
        html = response.content.decode()
        assert html.lstrip().startswith('<section id="results"')
        assert "<html" not in html and "Әбдіқадыров" in html
        assert "HX-Request" in response["Vary"]

    def test_without_javascript_the_same_search_is_a_whole_page(self, client, officer, person):
        client.force_login(officer)
        html = client.get(reverse("people:person_list"), {"q": "Abdikadyrov"}).content.decode()
        assert "<html" in html and 'hx-get="/people/"' in html and 'method="get"' in html

    @override_settings(KOSHIQON_PAGE_SIZE=2)
    def test_the_list_is_split_into_pages(self, client, officer, reference):
        for i in range(5):
            PersonFactory(last_name=f"Адам{i}", first_name="Тест")
        client.force_login(officer)
        first = client.get(reverse("people:person_list")).content.decode()
        assert "Адам0" in first and "Адам2" not in first and "?page=2" in first
        third = client.get(reverse("people:person_list"), {"page": 3}).content.decode()
        assert "Адам4" in third and "Адам0" not in third


@pytest.mark.django_db
class TestDocuments:
    def test_a_pasted_mrz_fills_the_document_and_is_audited(self, client, officer, person):
        client.force_login(officer)
        response = client.post(reverse("people:document_create", args=[person.pk]),
                               {"kind": "passport", "mrz": _mrz(person)})
        assert response.status_code == 302
        doc = IdentityDocument.objects.get(person=person)
        assert doc.number == "N12345678" and doc.issuing_country.alpha2 == "KZ" and doc.expires_on == date(2031, 4, 1)
        assert AuditEvent.objects.filter(action="people.document.add", object_id=str(doc.pk)).exists()

    def test_an_mrz_with_a_wrong_check_digit_is_refused_at_the_mrz_field(self, client, officer, person):
        lines = _mrz(person).split("\n")
        broken = lines[0] + "\n" + lines[1][:9] + str((int(lines[1][9]) + 1) % 10) + lines[1][10:]
        client.force_login(officer)
        html = client.post(reverse("people:document_create", args=[person.pk]),
                           {"kind": "passport", "mrz": broken}).content.decode()
        assert 'id="id_mrz_errors"' in html
        assert not IdentityDocument.objects.exists()

    def test_a_document_is_archived_with_a_reason(self, client, officer, person):
        doc = IdentityDocument.objects.create(person=person, kind="passport", number="N1111111",
                                              issuing_country=Country.objects.get(alpha2="KZ"))
        client.force_login(officer)
        url = reverse("people:document_archive", args=[person.pk, doc.pk])
        assert 'id="id_reason_errors"' in client.post(url, {"reason": ""}).content.decode()
        assert client.post(url, {"reason": "Lost"}).status_code == 302
        assert IdentityDocument.all_objects.get(pk=doc.pk).deletion_reason == "Lost"


@pytest.mark.django_db
class TestFamilies:
    def test_an_officer_registers_a_family_and_adds_a_spouse_by_iin(self, client, officer, person):
        spouse = PersonFactory(last_name="Әбдіқадырова", first_name="Аружан", sex="F")
        client.force_login(officer)
        assert client.post(reverse("people:family_create", args=[person.pk])).status_code == 302
        family = person.family_memberships.get().family
        response = client.post(reverse("people:family_member_add", args=[person.pk, family.pk]),
                               {"member": spouse.iin, "relation": "spouse"})
        assert response.status_code == 302
        html = client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
        assert "Әбдіқадырова Аружан" in html

    def test_a_member_outside_the_officers_regions_cannot_be_found(self, client, officer, person, reference):
        from koshiqon.reference.models import Region

        stranger = PersonFactory(region=Region.objects.get(code="KZ-75"))
        client.force_login(officer)
        client.post(reverse("people:family_create", args=[person.pk]))
        family = person.family_memberships.get().family
        html = client.post(reverse("people:family_member_add", args=[person.pk, family.pk]),
                           {"member": stranger.iin, "relation": "spouse"}).content.decode()
        assert 'id="id_member_errors"' in html


@pytest.mark.django_db
class TestMergeAndArchive:
    def test_the_officer_compares_two_records_and_merges_them_with_a_reason(self, client, officer, person):
        duplicate = PersonFactory(last_name="Абдикадыров", first_name="Жанар", iin=None, patronymic="Серикович")
        client.force_login(officer)
        chooser = client.get(reverse("people:person_merge", args=[person.pk])).content.decode()
        assert f"?other={duplicate.pk}" in chooser
        url = reverse("people:person_merge", args=[person.pk]) + f"?other={duplicate.pk}"
        compare = client.get(url).content.decode()
        assert "Абдикадыров Жанар Серикович" in compare and person.full_name in compare
        refused = client.post(url, {"other": duplicate.pk, "reason": ""}).content.decode()
        assert 'id="id_reason_errors"' in refused
        assert client.post(url, {"other": duplicate.pk, "reason": "Same passport"}).status_code == 302
        person.refresh_from_db()
        assert person.patronymic == "Серикович"
        assert Person.all_objects.get(pk=duplicate.pk).merged_into_id == person.pk
        assert client.get(reverse("people:person_detail", args=[duplicate.pk])).status_code == 404

    def test_a_viewer_may_not_merge(self, client, viewer, person):
        client.force_login(viewer)
        assert client.get(reverse("people:person_merge", args=[person.pk])).status_code == 403

    def test_only_a_national_officer_archives_a_person(self, client, officer, national, person):
        client.force_login(officer)
        assert client.get(reverse("people:person_archive", args=[person.pk])).status_code == 403
        client.force_login(national)
        assert client.post(reverse("people:person_archive", args=[person.pk]), {"reason": "Entered twice"}).status_code == 302
        assert not Person.objects.filter(pk=person.pk).exists()
