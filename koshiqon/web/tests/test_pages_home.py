"""The home page each role starts from, the log-in page, and the pages shown instead of an error."""

import pytest
from django.urls import reverse

from koshiqon.people import services
from koshiqon.reference.models import Region


@pytest.mark.django_db
class TestHomePerRole:
    def test_a_regional_officer_sees_the_count_of_their_region_a_search_box_and_its_recent_changes(
        self, client, officer, other_officer, person
    ):
        services.person_create(last_name="Ахметова", first_name="Дана", birth_date=person.birth_date, sex="F",
                               region=Region.objects.get(code="KZ-55"), by=officer)
        services.person_create(last_name="Омаров", first_name="Серік", birth_date=person.birth_date, sex="M",
                               region=Region.objects.get(code="KZ-75"), by=other_officer)
        client.force_login(officer)
        html = client.get(reverse("web:home")).content.decode()
        assert 'name="q"' in html and reverse("people:person_list") in html
        assert reverse("people:person_create") in html
        assert "Павлодар облысы" in html and "Алматы қаласы" not in html
        assert '<td class="num">2</td>' in html  # the factory's person and Дана, not Омаров of Almaty
        assert html.count("Адам тіркелді") == 1  # "Person registered": only the event of KZ-55

    def test_a_viewer_has_no_register_button(self, client, viewer, person):
        client.force_login(viewer)
        html = client.get(reverse("web:home")).content.decode()
        assert 'name="q"' in html
        assert reverse("people:person_create") not in html

    def test_a_national_officer_sees_every_region(self, client, national, person):
        client.force_login(national)
        html = client.get(reverse("web:home")).content.decode()
        assert "Барлық облыстарда тіркелген адамдар" in html  # "Persons registered in all regions"

    def test_an_analyst_is_pointed_to_the_analytics_and_sees_no_search(self, client, analyst):
        client.force_login(analyst)
        html = client.get(reverse("web:home")).content.decode()
        assert reverse("analytics:overview") in html
        assert 'name="q"' not in html

    def test_an_administrator_gets_the_admin_site_and_the_audit_verify_hint(self, client, administrator):
        client.force_login(administrator)
        html = client.get(reverse("web:home")).content.decode()
        assert 'href="/admin/"' in html and "koshiqon audit verify" in html

    def test_the_administrators_recent_changes_name_a_person_but_do_not_lead_to_the_registry(
        self, client, administrator, officer, person
    ):
        services.person_create(last_name="Ахметова", first_name="Дана", birth_date=person.birth_date, sex="F",
                               region=Region.objects.get(code="KZ-55"), by=officer)
        client.force_login(administrator)
        html = client.get(reverse("web:home")).content.decode()
        assert "Адам тіркелді" in html  # "Person registered"
        assert reverse("people:person_list") not in html
        client.force_login(officer)
        assert '<a href="/people/' in client.get(reverse("web:home")).content.decode()

    @pytest.mark.parametrize(("fixture", "work"), [("centre_staff", "adaptation:home"), ("employer", "labour:home")])
    def test_centre_staff_and_employers_get_a_home_that_leads_to_their_work(self, client, request, fixture, work):
        client.force_login(request.getfixturevalue(fixture))
        response = client.get(reverse("web:home"))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'name="q"' not in html and f'href="{reverse(work)}"' in html

    def test_a_user_without_a_role_is_told_politely_that_there_is_no_access_yet(self, client, no_role_user):
        client.force_login(no_role_user)
        response = client.get(reverse("web:home"))
        assert response.status_code == 200
        assert "әлі рөл берілмеген" in response.content.decode()  # "...has no role yet..."
        assert response.templates[0].name == "web/no_access.html"

    def test_the_menu_shows_only_what_the_role_may_open(self, client, viewer, analyst):
        client.force_login(viewer)
        html = client.get(reverse("web:home")).content.decode()
        assert reverse("people:person_list") in html and reverse("analytics:overview") not in html
        client.force_login(analyst)
        html = client.get(reverse("web:home")).content.decode()
        assert reverse("analytics:overview") in html and reverse("people:person_list") not in html


@pytest.mark.django_db
class TestLoginAndLanguage:
    def test_the_login_page_is_in_kazakh_by_default_and_needs_no_login(self, client, reference):
        response = client.get(reverse("web:login"))
        assert response.status_code == 200
        html = response.content.decode()
        assert '<html lang="kk">' in html
        assert 'name="username"' in html and 'name="password"' in html

    def test_logging_in_leads_home(self, client, officer):
        response = client.post(reverse("web:login"), {"username": "officer55", "password": "correct-horse-battery"})
        assert response.status_code == 302 and response["Location"] == reverse("web:home")

    def test_the_language_switcher_sets_russian_for_the_following_pages(self, client, officer):
        client.force_login(officer)
        html = client.get(reverse("web:home")).content.decode()
        assert f'action="{reverse("set_language")}"' in html
        for label in ("Қазақша", "Русский", "English"):
            assert f">{label}</button>" in html
        response = client.post(reverse("set_language"), {"language": "ru", "next": reverse("people:person_list")})
        assert response.status_code == 302 and response["Location"] == reverse("people:person_list")
        assert response.cookies["koshiqon_language"].value == "ru"
        html = client.get(reverse("people:person_list")).content.decode()
        assert '<html lang="ru">' in html
        assert 'value="ru" lang="ru" aria-pressed="true"' in html

    def test_the_switcher_returns_to_the_page_it_was_used_on(self, client, officer):
        client.force_login(officer)
        html = client.get(reverse("people:person_list") + "?q=abc").content.decode()
        assert 'name="next" value="/people/?q=abc"' in html

    def test_logging_out_is_a_post(self, client, officer):
        client.force_login(officer)
        html = client.get(reverse("web:home")).content.decode()
        assert f'<form method="post" action="{reverse("web:logout")}">' in html
        assert client.post(reverse("web:logout")).status_code == 302
        assert client.get(reverse("web:home")).status_code == 302

    def test_every_page_has_a_skip_link_to_the_main_content(self, client, officer):
        client.force_login(officer)
        html = client.get(reverse("web:home")).content.decode()
        assert 'href="#main"' in html and '<main id="main"' in html

    def test_the_page_loads_htmx_from_our_own_static_files_not_a_cdn(self, client, officer):
        client.force_login(officer)
        html = client.get(reverse("web:home")).content.decode()
        assert "/static/django_htmx/htmx" in html
        assert "https://" not in html and "http://" not in html.replace('xmlns="http://www.w3.org', "")
