"""The analytics page: national counts by region and citizenship, for the roles that may see them, and never
a person's name, IIN or document."""

import pytest
from django.urls import reverse

from koshiqon.people.factories import PersonFactory
from koshiqon.reference.models import Country, Region


@pytest.fixture
def population(reference):
    almaty, china = Region.objects.get(code="KZ-75"), Country.objects.get(alpha2="CN")
    people = [PersonFactory() for _ in range(3)]
    people += [PersonFactory(region=almaty, citizenship=china, last_name="Ван", first_name="Ли") for _ in range(2)]
    people.append(PersonFactory(citizenship=None, sex="F"))
    return people


@pytest.mark.django_db
class TestAnalyticsPage:
    def test_an_analyst_sees_counts_by_region_and_by_citizenship(self, client, analyst, population):
        client.force_login(analyst)
        response = client.get(reverse("analytics:overview"))
        assert response.status_code == 200
        by_region = {row["code"]: row["count"] for row in response.context["by_region"]}
        by_country = {row["code"]: row["count"] for row in response.context["by_citizenship"]}
        assert by_region == {"KZ-55": 4, "KZ-75": 2, "KZ-11": 0}
        assert by_country == {"KZ": 3, "CN": 2, "unknown": 1}
        assert response.context["totals"]["persons"] == 6
        assert (response.context["men"], response.context["women"]) == (5, 1)

    def test_the_bars_are_scaled_to_the_largest_group(self, client, analyst, population):
        client.force_login(analyst)
        rows = {row["code"]: row for row in client.get(reverse("analytics:overview")).context["by_region"]}
        assert rows["KZ-55"]["bar"] == 100 and rows["KZ-75"]["bar"] == 50
        assert 'width="50.0"' in client.get(reverse("analytics:overview")).content.decode()

    def test_the_page_shows_no_personal_data(self, client, analyst, population):
        client.force_login(analyst)
        html = client.get(reverse("analytics:overview")).content.decode()
        for p in population:
            assert p.last_name not in html
            assert not p.iin or p.iin not in html

    def test_a_national_officer_may_open_it_but_a_regional_officer_may_not(self, client, national, officer):
        client.force_login(national)
        assert client.get(reverse("analytics:overview")).status_code == 200
        client.force_login(officer)
        assert client.get(reverse("analytics:overview")).status_code == 403

    def test_other_countries_beyond_the_largest_are_counted_together(self, client, analyst, reference):
        from koshiqon.analytics import selectors

        for alpha2 in ("CN", "UZ", "MN", "DE"):
            PersonFactory(citizenship=Country.objects.get(alpha2=alpha2))
        rows = selectors.persons_by_citizenship(user=analyst, top=2)
        assert len(rows) == 3 and rows[-1] == {"label": None, "code": "other", "count": 2}
