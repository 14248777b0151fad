"""The labour exchange one record at a time: vacancies, registered jobseekers, and the count of local
jobseekers the labour-market test quotes."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from koshiqon.core.models import AuditEvent
from koshiqon.labour.demo import labour_demo
from koshiqon.labour.models import Employer, EmployerStaff, Jobseeker, Vacancy
from koshiqon.labour.selectors.exchange import (
    jobseeker_list,
    local_jobseekers_count,
    vacancy_by_exchange_id,
    vacancy_get,
    vacancy_list,
)
from koshiqon.labour.services.exchange import (
    jobseeker_create,
    jobseeker_deregister,
    vacancy_create,
    vacancy_status_set,
)
from koshiqon.labour.tests.setup_quota_exchange import a_bin, employer_in, jobseeker, load_reference, vacancy

pytestmark = pytest.mark.django_db
ON = date(2026, 3, 1)


@pytest.fixture
def scene(reference):
    load_reference()


def post(by, **changes):
    return vacancy_create(by=by, **({"exchange_id": "ENBEK-2026-000001", "employer_bin": a_bin(1),
                                     "title": "Инженер-құрылысшы", "occupation": "214", "region": "KZ-55",
                                     "wage": "450 000", "posted_on": "2026-02-10"} | changes))


def test_an_officer_registers_a_vacancy_linked_to_the_employer_of_its_bin(scene, officer):
    employer = employer_in("KZ-55", serial=1)
    posted = post(officer)
    assert (posted.employer, posted.wage, posted.posted_on, posted.status) == (employer, 450_000, date(2026, 2, 10),
                                                                               "open")
    assert AuditEvent.objects.get(action="labour.vacancy.create").region_code == "KZ-55"


def test_a_vacancy_is_checked_field_by_field_as_an_imported_row_is(scene, officer):
    post(officer)
    with pytest.raises(ValidationError) as caught:
        post(officer, occupation="21", wage="0", posted_on=str(timezone.localdate() + timedelta(days=2)))
    # Every problem at once: the row's own values and, for those that are fine, the reference data.
    assert set(caught.value.message_dict) == {"wage", "posted_on", "occupation", "exchange_id"}
    with pytest.raises(ValidationError) as caught:
        post(officer, occupation="21")
    assert set(caught.value.message_dict) == {"occupation", "exchange_id"}  # too broad a group; a second ENBEK-...1
    with pytest.raises(ValidationError) as caught:
        post(officer, exchange_id="E-2", region="KZ-79", posted_on="2015-02-10", occupation="999")
    assert set(caught.value.message_dict) == {"region", "occupation"}  # Shymkent was no city in 2015


def test_an_officer_keeps_the_vacancies_of_their_own_regions_only(scene, other_officer, viewer, employer):
    with pytest.raises(ValidationError) as caught:
        post(other_officer)
    assert "own regions" in caught.value.message_dict["region"][0]
    for user in (viewer, employer):
        with pytest.raises(PermissionDenied):
            post(user)


def test_a_vacancy_s_status_change_is_audited_and_kept_by_officers_of_its_region(scene, officer, other_officer):
    posted = post(officer)
    vacancy_status_set(vacancy=posted, status="filled", by=officer)
    event = AuditEvent.objects.get(action="labour.vacancy.status")
    assert (event.before, event.after) == ({"status": "open"}, {"status": "filled"})
    with pytest.raises(ValidationError):
        vacancy_status_set(vacancy=posted, status="gone", by=officer)
    with pytest.raises(PermissionDenied):
        vacancy_status_set(vacancy=posted, status="open", by=other_officer)


def test_an_employer_account_sees_the_vacancies_of_its_own_employers_only(scene, employer, employer_org, officer):
    own = vacancy(exchange_id="E-OWN", employer=employer_org)
    other = vacancy(exchange_id="E-OTHER", employer=employer_in("KZ-55", serial=5))
    assert list(vacancy_list(user=employer)) == [own]
    assert vacancy_by_exchange_id(user=employer, exchange_id="E-OWN") == own
    assert vacancy_by_exchange_id(user=employer, exchange_id="E-OTHER") is None
    with pytest.raises(Http404):
        vacancy_get(user=employer, pk=other.pk)
    assert set(vacancy_list(user=officer)) == {own, other}
    with pytest.raises(PermissionDenied):
        jobseeker_list(user=employer)


def test_vacancies_filter_by_occupation_group_region_status_and_dates(scene, national):
    vacancy(exchange_id="A", occupation="214", posted_on=date(2026, 1, 5))
    vacancy(exchange_id="B", occupation="215", region="KZ-75", posted_on=date(2026, 2, 5))
    assert [v.exchange_id for v in vacancy_list(user=national, filters={"occupation": "21"})] == ["B", "A"]
    assert [v.exchange_id for v in vacancy_list(user=national, filters={"region": "KZ-75"})] == ["B"]
    assert [v.exchange_id for v in vacancy_list(user=national, filters={"posted_to": date(2026, 1, 31)})] == ["A"]


def test_a_jobseeker_is_registered_and_deregistered_with_audit(scene, officer):
    seeker = jobseeker_create(registration="JS-55-1", occupation="711", region="KZ-55", education="3",
                              registered_on="2025-11-03", by=officer)
    assert (seeker.education.code, seeker.registered_on) == ("3", date(2025, 11, 3))
    with pytest.raises(ValidationError) as caught:
        jobseeker_deregister(jobseeker=seeker, on=date(2025, 1, 1), by=officer)
    assert set(caught.value.message_dict) == {"deregistered_on"}
    jobseeker_deregister(jobseeker=seeker, on=date(2026, 1, 15), reason="Found work", by=officer)
    assert Jobseeker.objects.get(pk=seeker.pk).deregistered_on == date(2026, 1, 15)
    assert [e.action for e in AuditEvent.objects.order_by("seq")][-2:] == ["labour.jobseeker.create",
                                                                         "labour.jobseeker.deregister"]
    with pytest.raises(ValidationError):
        jobseeker_create(registration="JS-55-1", occupation="711", region="KZ-55", registered_on="2025-11-03",
                         education="9", by=officer)


def test_local_jobseekers_count_those_registered_on_the_day_in_the_region_and_occupation_group(scene):
    jobseeker("same group", occupation="214")
    jobseeker("unit group inside it", occupation="2142")
    jobseeker("registered that very day", registered_on=ON)
    jobseeker("registered the day after", registered_on=ON + timedelta(days=1))
    jobseeker("deregistered the day before", deregistered_on=ON - timedelta(days=1))
    jobseeker("deregistered that day", deregistered_on=ON)
    jobseeker("deregistered later", deregistered_on=ON + timedelta(days=1))
    jobseeker("other region", region="KZ-75")
    jobseeker("other group", occupation="215")
    jobseeker("broader group only", occupation="21")
    assert local_jobseekers_count(region="KZ-55", occupation="214", on=ON) == 4
    assert local_jobseekers_count(region="KZ-55", occupation="2142", on=ON) == 1
    assert local_jobseekers_count(region="KZ-55", occupation="21", on=ON) == 6
    assert local_jobseekers_count(region="KZ-75", occupation="214", on=ON) == 1
    assert local_jobseekers_count(region="KZ-55", occupation="", on=ON) == 0


def test_the_demo_makes_employers_vacancies_at_the_15_day_edge_and_jobseekers_once(scene, employer):
    today = timezone.localdate()
    first = labour_demo(seed=3, by="test")
    again = labour_demo(seed=3, by="test")
    assert first["created"] and not again["created"]
    assert (Employer.objects.count(), Vacancy.objects.count(), Jobseeker.objects.count()) == (
        first["employers"], first["vacancies"], first["jobseekers"])
    own = Employer.objects.get(users=employer)
    assert own.region.code == "KZ-55" and own.bin == first["employer_of_account"]
    posted = set(own.vacancies.values_list("posted_on", flat=True))
    assert {today - timedelta(days=14), today - timedelta(days=15)} <= posted
    assert EmployerStaff.objects.filter(employer=own).count() == 4
    edge = own.vacancies.get(posted_on=today - timedelta(days=15))
    assert local_jobseekers_count(region=own.region, occupation=edge.occupation, on=today) > 0
    labour_demo(seed=4, by="test")
    assert Employer.objects.count() == 2 * first["employers"]
