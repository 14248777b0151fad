"""The centre's day names persons in three places: the head of each family at the centre, the member an
overdue service was meant for, and who stays now. Each one shown is a read of that person's record, logged in
one bulk write; a member the page does not name is not logged."""

from datetime import date

import pytest
from django.urls import reverse

from koshiqon.adaptation.models import Referral, Service, Stay
from koshiqon.adaptation.tests.plans_setup import make_plan, members
from koshiqon.core.models import AccessEvent

pytestmark = pytest.mark.django_db


def logged(user) -> list[str]:
    return sorted(AccessEvent.objects.filter(user=user, object_type="people.person", channel="page")
                  .values_list("object_id", flat=True))


def test_the_centre_page_logs_the_heads_the_members_of_overdue_services_and_who_stays(client, centre,
                                                                                     centre_staff):
    plan = make_plan(centre_staff, centre, arrival=date(2025, 5, 10), today=date(2025, 5, 10), services=())
    head, spouse, child = members(plan.family)
    Referral.objects.create(plan=plan, service=Service.objects.get(code="psychologist"), person=spouse,
                            referred_on=date(2025, 5, 10), due_on=date(2025, 6, 1))
    Stay.objects.create(centre=centre, plan=plan, person=child, check_in=date(2025, 5, 10))
    client.force_login(centre_staff)

    response = client.get(reverse("adaptation:centre_detail", args=[centre.pk]))

    assert response.status_code == 200
    text = response.content.decode()
    assert spouse.full_name in text and child.full_name in text
    assert logged(centre_staff) == sorted(str(p.pk) for p in (head, spouse, child))


def test_a_member_the_centre_page_does_not_name_is_not_logged(client, centre, centre_staff):
    plan = make_plan(centre_staff, centre, arrival=date(2025, 5, 10), today=date(2025, 5, 10), services=())
    head, spouse, child = members(plan.family)
    client.force_login(centre_staff)

    assert client.get(reverse("adaptation:centre_detail", args=[centre.pk])).status_code == 200

    assert logged(centre_staff) == [str(head.pk)]
