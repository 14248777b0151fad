"""The demo: centres in the regions where kandas settle (the demo "centre" account staff of Pavlodar), plans
for the demo kandas families of last year and this year, deliveries, overdue services, stays and outcomes, all
through the services; a second run makes nothing new."""

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from koshiqon.accounts.factories import UserFactory
from koshiqon.adaptation.demo import adaptation_demo
from koshiqon.adaptation.models import Centre, Outcome, Plan, Referral, Stay
from koshiqon.core.audit import audit_verify
from koshiqon.core.models import AuditEvent
from koshiqon.demo.generator import demo_generate
from koshiqon.kandas.demo import kandas_demo
from koshiqon.kandas.tests.applications_setup import load_kandas_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def population(reference):
    load_kandas_data()
    demo_generate(size=1200, seed=5)
    year = timezone.localdate().year
    for y in (year - 1, year):
        kandas_demo(year=y, size=60, seed=5)


def test_the_demo_serves_the_kandas_families_of_the_centres_regions_once(population):
    counts = adaptation_demo(seed=5)
    assert counts["created"] and counts["centres"] == 6 and counts["staff_linked"] is False  # no account yet
    staff = UserFactory(username="centre", role="centre_staff", region_codes=["KZ-55"])
    again = adaptation_demo(seed=5)
    assert again["created"] is False and again["plans"] == counts["plans"] and again["staff_linked"]
    assert AuditEvent.objects.filter(action="adaptation.demo").count() == 1 and Centre.objects.count() == 6
    pavlodar = Centre.objects.get(region__code="KZ-55")
    assert list(pavlodar.staff.all()) == [staff]
    plans = Plan.objects.select_related("application__region", "centre__region")
    assert plans.count() == counts["plans"] > 0
    assert all(p.application.region_id == p.centre.region_id for p in plans)
    today = timezone.localdate()
    assert Referral.objects.filter(delivered_on__isnull=False).exists()
    assert Referral.objects.filter(delivered_on__isnull=True, due_on__lt=today).exists()  # some overdue
    assert Outcome.objects.count() == counts["outcomes"] > 0
    staying = Stay.objects.filter(Q(check_out__isnull=True) | Q(check_out__gt=today)).values("centre__beds", "centre")
    for row in staying.annotate(n=Count("id")):
        assert row["n"] <= row["centre__beds"]
    assert Plan.objects.filter(centre=pavlodar, arrival_date=today).exists()
    assert audit_verify() is None
