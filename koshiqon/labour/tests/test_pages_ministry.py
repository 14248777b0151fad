"""The ministry's page: quota use by region and category, outcomes and refusals by reason, as charts with the
same figures in tables; national officers and analysts only."""

from datetime import date

import pytest
from django.urls import reverse

from koshiqon.labour.services.permit_decision import permit_application_decide
from koshiqon.labour.tests.factories import (
    load_mci,
    make_allocation,
    make_application,
    make_employer,
    occupation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(reference, national):
    load_mci()
    occupation()
    make_allocation(year=2025, category="3", places=4, used=3)
    make_allocation(year=2025, category="2", places=2, region_code="KZ-75")
    company = make_employer()
    for notified in (True, True, False):
        application = make_application(company, applied_on=date(2025, 8, 29), employment_body_notified=notified)
        permit_application_decide(application=application, by=national, today=date(2025, 9, 1))


def test_the_ministry_sees_quota_use_and_refusals_by_reason_with_charts_and_tables(client, decided, national):
    client.force_login(national)
    response = client.get(reverse("labour:ministry"), {"year": 2025})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") >= 4 and html.count("<table") >= 4
    assert response.context["totals"] == {"places": 6, "used": 4, "granted": 1, "refused": 2}
    reasons = [(row["label"], row["cells"]) for row in response.context["reason_chart"]["rows"]]
    # The second and third find the quota used up; the third was not notified either (it counts for both).
    assert [(str(label), cells) for label, cells in reasons] == [
        ("квота таусылды", [2]), ("жұмыспен қамту органы хабардар етілмеген (2012-2025)", [1])]  # in Kazakh
    assert "status=refused&amp;reason=quota" in html


def test_the_ministry_page_is_not_for_regional_officers_or_employers_but_for_analysts(client, decided, officer,
                                                                                     employer, analyst):
    for user, status in ((officer, 403), (employer, 403), (analyst, 200)):
        client.force_login(user)
        assert client.get(reverse("labour:ministry")).status_code == status


def test_the_bars_lead_to_the_applications_only_for_those_who_may_read_them(client, decided, national, analyst):
    client.force_login(national)
    assert "status=refused&amp;reason=quota" in client.get(reverse("labour:ministry"), {"year": 2025}).content.decode()
    client.force_login(analyst)
    html = client.get(reverse("labour:ministry"), {"year": 2025}).content.decode()
    assert "<svg" in html
    assert reverse("labour:application_list") not in html
    assert client.get(reverse("labour:application_list")).status_code == 403
