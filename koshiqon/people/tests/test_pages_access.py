"""Who may open which person page: the officer of the region, a read-only user, an officer of another
region, and roles with no business in the registry."""

import pytest
from django.urls import reverse

from koshiqon.core.models import AccessEvent

PAGES = ["people:person_detail", "people:person_audit", "people:person_edit"]


def _get(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(name, args=args))


@pytest.mark.django_db
class TestRegistryAccess:
    def test_the_officer_of_the_region_opens_the_list_detail_edit_and_audit_pages(self, client, officer, person):
        assert _get(client, officer, "people:person_list").status_code == 200
        for name in PAGES:
            assert _get(client, officer, name, person.pk).status_code == 200, name

    def test_a_viewer_reads_the_record_but_may_not_edit_or_register(self, client, viewer, person):
        assert _get(client, viewer, "people:person_list").status_code == 200
        assert _get(client, viewer, "people:person_detail", person.pk).status_code == 200
        assert _get(client, viewer, "people:person_audit", person.pk).status_code == 200
        assert _get(client, viewer, "people:person_edit", person.pk).status_code == 403
        assert _get(client, viewer, "people:person_create").status_code == 403
        assert _get(client, viewer, "people:document_create", person.pk).status_code == 403

    def test_an_officer_of_another_region_gets_404_for_the_person(self, client, other_officer, person):
        for name in PAGES:
            assert _get(client, other_officer, name, person.pk).status_code == 404, name

    def test_the_other_regions_officer_does_not_find_the_person_in_the_list(self, client, other_officer, person):
        response = _get(client, other_officer, "people:person_list")
        assert response.status_code == 200
        assert person.last_name not in response.content.decode()

    def test_a_national_officer_opens_a_person_of_any_region(self, client, national, person):
        assert _get(client, national, "people:person_detail", person.pk).status_code == 200

    def test_an_analyst_may_not_open_the_registry(self, client, analyst, person):
        assert _get(client, analyst, "people:person_list").status_code == 403
        assert _get(client, analyst, "people:person_detail", person.pk).status_code == 403

    def test_an_anonymous_visitor_is_sent_to_the_login_page(self, client, person):
        response = client.get(reverse("people:person_detail", args=[person.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("web:login"))

    def test_the_403_and_404_pages_are_in_our_look_and_in_kazakh(self, client, viewer, other_officer, person):
        denied = _get(client, viewer, "people:person_create")
        assert 'lang="kk"' in denied.content.decode()
        assert "403" in denied.content.decode() and "koshiqon.css" in denied.content.decode()
        missing = _get(client, other_officer, "people:person_detail", person.pk)
        assert "404" in missing.content.decode() and "koshiqon.css" in missing.content.decode()

    def test_reading_a_persons_page_is_logged(self, client, officer, person):
        assert not AccessEvent.objects.filter(object_id=str(person.pk)).exists()
        _get(client, officer, "people:person_detail", person.pk)
        event = AccessEvent.objects.get(object_type="people.person", object_id=str(person.pk))
        assert event.user == officer
        assert event.channel == "page"
        assert event.path == reverse("people:person_detail", args=[person.pk])

    def test_a_page_refused_to_another_region_logs_no_read(self, client, other_officer, person):
        _get(client, other_officer, "people:person_detail", person.pk)
        assert not AccessEvent.objects.filter(object_id=str(person.pk)).exists()
