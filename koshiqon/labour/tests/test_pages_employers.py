"""The employer pages, in Kazakh: the registry, an employer with its staff, and the forms."""

import pytest
from django.urls import reverse

from koshiqon.labour.models import Employer, EmployerStaff
from koshiqon.labour.tests.setup_quota_exchange import a_bin, employer_in, load_reference, vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(reference):
    load_reference()


def signed_in(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_an_officer_lists_the_employers_of_their_region_in_kazakh(client, officer, employer_org, scene):
    employer_in("KZ-75", serial=2)
    page = signed_in(client, officer).get(reverse("labour:employer_list"))
    html = page.content.decode()
    assert page.status_code == 200 and '<html lang="kk">' in html
    assert employer_org.name in html and "«Тест 2» ЖШС" not in html
    assert "Құрылыс" in html  # the sector's name in Kazakh


def test_an_officer_registers_an_employer_and_a_wrong_bin_is_shown_next_to_the_field_in_kazakh(client, officer,
                                                                                              scene):
    client = signed_in(client, officer)
    bad = a_bin(1)[:-1] + str((int(a_bin(1)[-1]) + 1) % 10)
    form = {"bin": bad, "name": "«Жаңа» ЖШС", "region": "KZ-55", "sector": "F"}
    response = client.post(reverse("labour:employer_create"), form)
    assert response.status_code == 422
    assert "БСН-нің тексеру цифры қате" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    response = client.post(reverse("labour:employer_create"), form | {"bin": a_bin(1)})
    employer = Employer.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("labour:employer_detail", args=[employer.pk])


def test_the_employer_account_sees_its_own_employer_and_gets_404_for_another(client, employer, employer_org, scene):
    other = employer_in("KZ-55", serial=3)
    client = signed_in(client, employer)
    listed = client.get(reverse("labour:employer_list"))
    assert list(listed.context["page"].object_list) == [employer_org]
    page = client.get(reverse("labour:employer_detail", args=[employer_org.pk]))
    assert page.status_code == 200 and b'name="staff-citizens"' in page.content
    assert b'name="account-username"' not in page.content  # it may not link accounts
    assert client.get(reverse("labour:employer_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("labour:employer_edit", args=[employer_org.pk])).status_code == 403


def test_the_employer_records_its_staff_from_its_page(client, employer, employer_org, scene):
    client = signed_in(client, employer)
    url = reverse("labour:employer_staff", args=[employer_org.pk])
    response = client.post(url, {"staff-category": "3", "staff-citizens": "95", "staff-foreigners": "9",
                                 "staff-ict_transferees": "0"})
    assert response.status_code == 302
    assert EmployerStaff.objects.get(employer=employer_org, category="3").citizens == 95
    response = client.post(url, {"staff-category": "3", "staff-citizens": "95", "staff-foreigners": "1",
                                 "staff-ict_transferees": "2"})
    assert response.status_code == 422 and response.context["staff_form"].errors["ict_transferees"]


def test_a_viewer_reads_the_employer_without_forms_and_may_not_post_staff(client, viewer, employer_org, scene):
    vacancy(exchange_id="E-9", employer=employer_org)
    client = signed_in(client, viewer)
    page = client.get(reverse("labour:employer_detail", args=[employer_org.pk]))
    assert page.status_code == 200 and b"E-9" in page.content and b'name="staff-citizens"' not in page.content
    response = client.post(reverse("labour:employer_staff", args=[employer_org.pk]), {"staff-category": "3"})
    assert response.status_code == 403


def test_an_officer_edits_an_employer_and_links_an_account(client, officer, employer, scene):
    org = employer_in("KZ-55", serial=4)
    client = signed_in(client, officer)
    edit = reverse("labour:employer_edit", args=[org.pk])
    assert client.get(edit).status_code == 200
    assert client.post(edit, {"bin": org.bin, "name": "«Тест» АҚ", "region": "KZ-55", "sector": "C"}).status_code == 302
    assert Employer.objects.get(pk=org.pk).sector == "C"
    response = client.post(reverse("labour:employer_account", args=[org.pk]), {"account-username": "employer"})
    assert response.status_code == 302 and list(org.users.all()) == [employer]


def test_a_user_without_a_labour_right_gets_403(client, analyst, scene):
    assert signed_in(client, analyst).get(reverse("labour:employer_list")).status_code == 403
