"""The analytics page: national counts by region and citizenship, for the roles that may see them, and never
a person's name, IIN or document, nor the number of a group so small (1 to 4 persons) that it singles people
out."""

import pytest
from django.urls import reverse

from koshiqon.people.factories import PersonFactory
from koshiqon.reference.models import Country, Region


@pytest.fixture
def population(reference):
    """KZ-55: 6 citizens of Kazakhstan, 2 of Uzbekistan and 1 not recorded; KZ-75: 5 citizens of China."""
    almaty, china = Region.objects.get(code="KZ-75"), Country.objects.get(alpha2="CN")
    people = [PersonFactory() for _ in range(6)]
    people += [PersonFactory(region=almaty, citizenship=china, last_name="Ван", first_name="Ли") for _ in range(5)]
    people += [PersonFactory(citizenship=Country.objects.get(alpha2="UZ")) for _ in range(2)]
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
        assert by_region == {"KZ-55": 9, "KZ-75": 5, "KZ-11": 0}
        assert by_country == {"KZ": 6, "CN": 5, "other": 2, "unknown": 1}
        assert response.context["totals"]["persons"] == 14
        assert (response.context["men"], response.context["women"]) == (13, 1)

    def test_the_bars_are_scaled_to_the_largest_group(self, client, analyst, population):
        client.force_login(analyst)
        rows = {row["code"]: row for row in client.get(reverse("analytics:overview")).context["by_region"]}
        assert rows["KZ-55"]["bar"] == 100 and rows["KZ-75"]["bar"] == 55.6
        assert 'width="55.6"' in client.get(reverse("analytics:overview")).content.decode()

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

        for alpha2, n in (("CN", 7), ("UZ", 6), ("MN", 5)):
            for _ in range(n):
                PersonFactory(citizenship=Country.objects.get(alpha2=alpha2))
        rows = selectors.persons_by_citizenship(user=analyst, top=2)
        assert [r["code"] for r in rows] == ["CN", "UZ", "other"]
        assert rows[-1] == {"label": None, "code": "other", "count": 5, "hidden": False}

    def test_a_citizenship_of_fewer_than_5_persons_is_not_named_but_counted_with_the_other_countries(
            self, client, analyst, population):
        client.force_login(analyst)
        rows = client.get(reverse("analytics:overview")).context["by_citizenship"]
        assert "UZ" not in {row["code"] for row in rows}
        other = next(row for row in rows if row["code"] == "other")
        assert other["count"] == 2 and other["hidden"]

    def test_a_group_of_1_to_4_persons_shows_no_number_share_or_bar_but_an_empty_one_shows_0(
            self, client, analyst, population):
        client.force_login(analyst)
        response = client.get(reverse("analytics:overview"))
        rows = {row["code"]: row for row in response.context["by_citizenship"]}
        assert rows["unknown"]["hidden"] and rows["unknown"]["share"] is None and rows["unknown"]["bar"] == 0
        assert not rows["CN"]["hidden"] and rows["CN"]["share"] == 35.7
        regions = {row["code"]: row for row in response.context["by_region"]}
        assert regions["KZ-11"]["count"] == 0 and not regions["KZ-11"]["hidden"]
        html = response.content.decode()
        assert html.count('class="num small-cell"') == 2  # other countries (2 persons), not recorded (1)
        assert html.count('class="small-cell"') == 2  # the women (1), and so the men (13) too
        assert ">2<" not in html and ">1<" not in html and ">13<" not in html
        assert response.context["sex_hidden"] == {"M": True, "F": True}

    def test_one_small_region_hides_the_next_smallest_too_so_the_total_does_not_give_it_away(
            self, client, analyst, reference):
        for code, n in (("KZ-55", 9), ("KZ-75", 6), ("KZ-11", 2)):
            for _ in range(n):
                PersonFactory(region=Region.objects.get(code=code))
        client.force_login(analyst)
        response = client.get(reverse("analytics:overview"))
        hidden = {row["code"]: row["hidden"] for row in response.context["by_region"]}
        assert hidden == {"KZ-55": False, "KZ-75": True, "KZ-11": True}
        html = response.content.decode()
        assert html.count('class="num small-cell"') == 2 and ">6<" not in html and ">9<" in html
