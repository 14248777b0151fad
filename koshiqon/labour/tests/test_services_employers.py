"""The employer registry: registering with a valid BIN, the officer's regions, staff counts kept by officers
and by the employer itself, and the accounts acting for an employer."""

from datetime import timedelta
from itertools import islice

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone, translation

from koshiqon.accounts.factories import UserFactory
from koshiqon.core.models import AuditEvent
from koshiqon.labour.domain.decision import StaffCount
from koshiqon.labour.models import Employer
from koshiqon.labour.selectors.employers import employer_get, employer_staff, employers_for
from koshiqon.labour.services.employers import (
    employer_account_link,
    employer_account_unlink,
    employer_create,
    employer_staff_set,
    employer_update,
)
from koshiqon.labour.tests.factories import _distinct_bins
from koshiqon.labour.tests.setup_quota_exchange import a_bin, employer_in, load_reference
from koshiqon.people.domain.iin import is_valid_bin

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(reference):
    load_reference()


def register(by, **changes):
    return employer_create(by=by, **({"bin": a_bin(1), "name": "«Ертіс Құрылыс» ЖШС", "region": "KZ-55",
                                      "sector": "F", "address": "Павлодар қ."} | changes))


def wrong_check_digit(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def test_an_officer_registers_an_employer_of_their_region_and_it_is_audited(scene, officer):
    employer = register(officer, bin="  " + a_bin(1)[:6] + " " + a_bin(1)[6:])
    assert (employer.bin, employer.region.code, employer.sector) == (a_bin(1), "KZ-55", "F")
    event = AuditEvent.objects.get(action="labour.employer.create")
    assert (event.region_code, event.after["bin"]) == ("KZ-55", a_bin(1))


def test_a_bin_with_a_wrong_check_digit_is_refused_with_a_field_error_in_kazakh(scene, officer):
    with translation.override("kk"), pytest.raises(ValidationError) as caught:
        register(officer, bin=wrong_check_digit(a_bin(1)))
    message = caught.value.message_dict["bin"][0]
    assert message == "БСН-нің тексеру цифры қате: нөмірде қате басылмағанын тексеріңіз."
    assert not Employer.objects.exists()


def test_a_bin_is_registered_once_and_every_field_is_checked(scene, officer):
    register(officer)
    with pytest.raises(ValidationError) as caught:
        register(officer, name="", region="KZ-99", sector="Z")
    assert set(caught.value.message_dict) == {"bin", "name", "region", "sector"}
    assert "already registered" in caught.value.message_dict["bin"][0]


def test_an_officer_may_not_register_an_employer_of_another_region(scene, other_officer, officer):
    with pytest.raises(ValidationError) as caught:
        register(other_officer)
    assert set(caught.value.message_dict) == {"region"}
    employer = register(officer)
    with pytest.raises(PermissionDenied):
        employer_update(employer=employer, name="Другое", by=other_officer)


@pytest.mark.parametrize("user", ["viewer", "employer", "analyst", "no_role_user"])
def test_only_officers_keep_the_registry(scene, user, request):
    with pytest.raises(PermissionDenied):
        register(request.getfixturevalue(user))


def test_an_edit_records_what_changed(scene, officer):
    employer = register(officer)
    employer_update(employer=employer, name="«Ертіс Құрылыс Инвест» ЖШС", sector="C", by=officer)
    event = AuditEvent.objects.get(action="labour.employer.update")
    assert event.before == {"name": "«Ертіс Құрылыс» ЖШС", "sector": "F"}
    assert event.after == {"name": "«Ертіс Құрылыс Инвест» ЖШС", "sector": "C"}


def test_the_employer_itself_records_its_staff_and_the_decision_reads_them(scene, employer_org, employer):
    employer_staff_set(employer=employer_org, category="3", citizens=90, foreigners=9, ict_transferees=2, by=employer)
    employer_staff_set(employer=employer_org, category="3", citizens=95, foreigners=9, ict_transferees=2, by=employer)
    employer_staff_set(employer=employer_org, category="1", citizens=7, foreigners=2, by=employer)
    assert employer_staff(employer_org) == (StaffCount("1", 7, 2, 0), StaffCount("3", 95, 9, 2))
    events = AuditEvent.objects.filter(action="labour.employer.staff").order_by("seq")
    assert events[1].before["citizens"] == 90 and events[1].after["citizens"] == 95


def test_staff_counts_are_whole_consistent_and_not_in_the_future(scene, employer_org, officer):
    with pytest.raises(ValidationError) as caught:
        employer_staff_set(employer=employer_org, category="5", citizens=-1, foreigners=2, ict_transferees=3,
                           as_of=timezone.localdate() + timedelta(days=1), by=officer)
    assert set(caught.value.message_dict) == {"category", "citizens", "ict_transferees", "as_of"}


def test_nobody_else_changes_an_employer_s_staff(scene, employer_org, viewer, other_officer):
    stranger = UserFactory(username="employer2", role="employer")
    for user in (viewer, other_officer, stranger):
        with pytest.raises(PermissionDenied):
            employer_staff_set(employer=employer_org, category="3", citizens=1, foreigners=0, by=user)


def test_an_employer_account_sees_only_the_employers_it_acts_for(scene, employer_org, employer):
    other = employer_in("KZ-55", serial=2)
    assert list(employers_for(employer)) == [employer_org]
    assert employer_get(user=employer, pk=employer_org.pk) == employer_org
    with pytest.raises(Http404):
        employer_get(user=employer, pk=other.pk)


def test_officers_see_their_regions_national_officers_all_and_others_none(scene, employer_org, officer,
                                                                          other_officer, viewer, national, analyst):
    almaty = employer_in("KZ-75", serial=3)
    assert set(employers_for(officer)) == set(employers_for(viewer)) == {employer_org}
    assert set(employers_for(other_officer)) == {almaty}
    assert set(employers_for(national)) == {employer_org, almaty}
    assert not employers_for(analyst).exists()
    with pytest.raises(PermissionDenied):
        employer_get(user=analyst, pk=almaty.pk)


def test_an_officer_links_only_employer_accounts_and_can_unlink_them(scene, officer, employer, viewer):
    employer_org = register(officer)
    with pytest.raises(ValidationError) as caught:
        employer_account_link(employer=employer_org, username="viewer55", by=officer)
    assert "employer account" in caught.value.message_dict["username"][0]
    with pytest.raises(ValidationError):
        employer_account_link(employer=employer_org, username="nobody", by=officer)
    employer_account_link(employer=employer_org, username="employer", by=officer)
    assert list(employers_for(employer)) == [employer_org]
    employer_account_unlink(employer=employer_org, username="employer", by=officer)
    assert not employers_for(employer).exists()
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="labour.employer.").order_by("seq")] == [
        "labour.employer.create", "labour.employer.link", "labour.employer.unlink"]


def test_test_employers_get_distinct_valid_bins_even_where_a_check_digit_skips_a_serial():
    bins = list(islice(_distinct_bins(), 3000))  # 1000 + n for n < 3000 gave 26 repeats
    assert len(set(bins)) == len(bins) and all(is_valid_bin(b) for b in bins)
