"""What placement reads from adaptation: free beds per centre and region on a date, the regions giving a
service, and past outcomes as plain rows (tested with the outcomes service)."""

from datetime import date

import pytest

from koshiqon.adaptation.models import CentreService
from koshiqon.adaptation.selectors.placement import (
    free_beds_by_centre,
    free_beds_by_region,
    regions_with_service,
)
from koshiqon.adaptation.services.stays import stay_check_in, stay_check_out
from koshiqon.adaptation.tests.plans_setup import TODAY, make_centre, make_plan, members

pytestmark = pytest.mark.django_db


def test_free_beds_on_a_date_count_who_stays_that_night(centre, centre_staff):
    second = make_centre(region="KZ-55", beds=5)
    other = make_centre(region="KZ-11", beds=8)
    plan = make_plan(centre_staff, centre)
    stays = stay_check_in(plan=plan, persons=members(plan.family), on=date(2026, 6, 2), by=centre_staff, today=TODAY)
    stay_check_out(stays=stays[:1], on=date(2026, 6, 10), by=centre_staff, today=TODAY)
    assert free_beds_by_centre(on=date(2026, 6, 5)) == {centre.pk: 17, second.pk: 5, other.pk: 8}
    assert free_beds_by_centre(on=date(2026, 6, 10))[centre.pk] == 18
    assert free_beds_by_region(on=date(2026, 6, 10)) == {"KZ-55": 23, "KZ-11": 8}
    assert free_beds_by_region(on=date(2010, 1, 1)) == {}  # no centre was open yet


def test_the_regions_giving_a_service_are_those_with_an_open_centre_that_gives_it(centre):
    other = make_centre(region="KZ-11")
    CentreService.objects.filter(centre=other, service__code="small_business").delete()
    assert regions_with_service(code="state_language", on=date(2026, 1, 1)) == {"KZ-55", "KZ-11"}
    assert regions_with_service(code="small_business", on=date(2026, 1, 1)) == {"KZ-55"}
    assert regions_with_service(code="no_such_service", on=date(2026, 1, 1)) == set()
    centre.closed_on = date(2025, 1, 1)
    centre.save()
    assert regions_with_service(code="small_business", on=date(2026, 1, 1)) == set()
