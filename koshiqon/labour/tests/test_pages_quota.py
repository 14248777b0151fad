"""The quota pages, in Kazakh by default: the utilisation table and its bars, the export, moving places,
setting a year's quota."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from koshiqon.labour.models import LabourQuota, QuotaAllocation, QuotaRedistribution
from koshiqon.labour.tests.setup_quota_exchange import load_quotas, load_reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped(reference):
    load_reference()
    load_quotas()


def signed_in(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_quota_page_opens_in_kazakh_on_this_year_with_bars_and_figures(client, officer, shipped):
    QuotaAllocation.objects.filter(quota__year=2026, region__code="KZ-55", category="3").update(used=10)
    page = signed_in(client, officer).get(reverse("labour:quota"))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="kk">' in html
    assert "Павлодар облысы" in html and "Алматы қаласы" not in html  # only the officer's region
    assert html.count('class="quota-bar"') == 5 + 5  # one per category total, one per cell
    assert "Ұлытау" not in html
    assert page.context["lines"][0]["cells"][2]["row"].used == 10


def test_the_2009_page_names_the_regions_as_they_were_then(client, national, shipped):
    page = signed_in(client, national).get(reverse("labour:quota") + "?year=2009")
    html = page.content.decode()
    assert "Оңтүстік Қазақстан облысы" in html and "Түркістан облысы" not in html
    assert [c for c in page.context["categories"]] == ["1+2", "3", "4-seasonal"]
    assert len(page.context["lines"]) == 16


def test_a_year_without_a_quota_is_404_and_an_employer_gets_403(client, officer, employer, shipped):
    assert signed_in(client, officer).get(reverse("labour:quota") + "?year=2015").status_code == 404
    assert signed_in(client, officer).get(reverse("labour:quota") + "?year=abc").status_code == 404
    assert signed_in(client, employer).get(reverse("labour:quota")).status_code == 403


def test_a_national_officer_moves_places_from_the_page(client, national, shipped):
    client = signed_in(client, national)
    page = client.get(reverse("labour:quota") + "?year=2026")
    assert b'name="move-places"' in page.content
    url = reverse("labour:quota_redistribute") + "?year=2026"
    form = {"move-category": "3", "move-from_region": "KZ-55", "move-to_region": "KZ-75", "move-places": "3",
            "move-legal_act": "Бұйрық № 17", "move-act_date": "2026-05-04", "move-reason": "Сұраныс"}
    assert client.post(url, form).status_code == 302
    assert QuotaRedistribution.objects.get().places == 3
    too_many = client.post(url, form | {"move-places": "100000"})
    assert too_many.status_code == 422
    assert "move-places" in too_many.content.decode() and too_many.context["move_form"].errors["places"]


def test_a_regional_officer_sees_no_move_form_and_may_not_post_one(client, officer, shipped):
    client = signed_in(client, officer)
    assert b'name="move-places"' not in client.get(reverse("labour:quota")).content
    response = client.post(reverse("labour:quota_redistribute") + "?year=2026", {"move-places": "1"})
    assert response.status_code == 403


def test_the_utilisation_downloads_as_a_workbook(client, viewer, shipped):
    response = signed_in(client, viewer).get(reverse("labour:quota_export") + "?year=2026")
    rows = list(load_workbook(BytesIO(response.content), read_only=True).worksheets[0].iter_rows(values_only=True))
    assert [r[2] for r in rows[4:9]] == ["1", "2", "3", "4", "seasonal"]
    assert rows[-1][1] == "Барлығы"


def test_a_national_officer_sets_next_year_s_quota_with_its_labour_force(client, national, shipped):
    client = signed_in(client, national)
    page = client.get(reverse("labour:quota_create") + "?year=2027")
    assert page.status_code == 200 and b'name="lf_KZ-79"' in page.content and b'name="c_4"' in page.content
    form = {"legal_act": "Министрдің бұйрығы", "share": "0,25%", "confidence": "M", "c_0": "700", "c_1": "3400",
            "c_2": "5900", "c_3": "3100", "c_4": "0.05%", "lf_KZ-55": "400000", "lf_KZ-75": "1200000"}
    bad = client.post(reverse("labour:quota_create") + "?year=2027", form | {"c_1": "көп", "c_2": "", "legal_act": ""})
    assert bad.status_code == 422 and set(bad.context["form"].errors) == {"c_1", "c_2", "legal_act"}
    assert not LabourQuota.objects.filter(year=2027).exists()
    assert client.post(reverse("labour:quota_create") + "?year=2027", form).status_code == 302
    quota = LabourQuota.objects.get(year=2027)
    assert str(quota.share) == "0.002500" and quota.labour_force == 1_600_000
    assert QuotaAllocation.objects.filter(quota=quota, category="seasonal").count() == 2


def test_a_regional_officer_may_not_set_a_quota(client, officer, shipped):
    assert signed_in(client, officer).get(reverse("labour:quota_create")).status_code == 403
