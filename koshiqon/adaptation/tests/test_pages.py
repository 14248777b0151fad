"""The adaptation pages: who may open what (404 outside scope, 403 for a role that may never do it), the
staff's centre page, a plan walked through its forms, outcomes entry and import, the ministry page; all in
Kazakh by default."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from koshiqon.adaptation.models import Outcome, Plan, Referral, Stay
from koshiqon.adaptation.tests.plans_setup import make_centre, make_family, make_plan, members, other_staff
from koshiqon.core.models import AccessEvent
from koshiqon.jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(centre, centre_staff):
    return make_plan(centre_staff, centre, arrival=date(2025, 5, 10), today=date(2025, 5, 10))


def get(client, user, name, *args, query=""):
    client.force_login(user)
    return client.get(reverse(name, args=args) + query)


def post(client, user, name, *args, data):
    client.force_login(user)
    return client.post(reverse(name, args=args), data)


def test_staff_of_one_centre_start_on_their_centre(client, centre_staff, plan):
    response = get(client, centre_staff, "adaptation:home")
    assert response.status_code == 302 and response["Location"] == reverse("adaptation:centre_detail",
                                                                            args=[plan.centre_id])


def test_the_centre_page_shows_families_arrivals_overdue_services_and_occupancy_in_kazakh(client, centre_staff, plan):
    text = get(client, centre_staff, "adaptation:centre_detail", plan.centre_id).content.decode()
    assert '<html lang="kk">' in text
    assert plan.number in text and plan.family.name in text
    assert "Мемлекеттік тіл курсы" in text  # the overdue course, named in Kazakh from the catalogue
    assert 'class="tone-c4"' in text and 'class="tone-rest"' in text  # the occupancy bar
    assert AccessEvent.objects.filter(object_id=str(members(plan.family)[0].pk), channel="page").exists()


def test_the_adaptation_menu_item_shows_to_those_who_may_see_it(client, centre_staff, officer, analyst,
                                                                 administrator, plan):
    url = reverse("adaptation:home")
    assert url in get(client, centre_staff, "web:home").content.decode()
    assert url in get(client, officer, "web:home").content.decode()
    assert url not in get(client, administrator, "web:home").content.decode()
    assert url in get(client, analyst, "web:home").content.decode()  # analysts land on the ministry's figures
    assert get(client, analyst, "adaptation:home")["Location"] == reverse("adaptation:overview")


def test_staff_of_another_centre_and_officers_of_another_region_get_404(client, plan, other_officer, reference):
    stranger = other_staff()
    make_centre(region="KZ-75", staff=stranger)
    for user in (stranger, other_officer):
        assert get(client, user, "adaptation:plan_detail", plan.pk).status_code == 404
        assert get(client, user, "adaptation:centre_detail", plan.centre_id).status_code == 404
    assert post(client, stranger, "adaptation:check_in", plan.pk, data={}).status_code == 404
    assert post(client, stranger, "adaptation:referral_deliver", plan.referrals.first().pk, data={}).status_code == 404


def test_a_regional_officer_reads_the_plan_but_may_not_write(client, officer, plan):
    response = get(client, officer, "adaptation:plan_detail", plan.pk)
    assert response.status_code == 200 and "referral_deliver" not in response.content.decode()
    referral = plan.referrals.first()
    data = {f"d{referral.pk}-delivered_on": "2025-05-12"}
    assert post(client, officer, "adaptation:referral_deliver", referral.pk, data=data).status_code == 403
    assert post(client, officer, "adaptation:check_in", plan.pk, data={}).status_code == 403
    assert get(client, officer, "adaptation:plan_outcomes", plan.pk).status_code == 403
    assert get(client, officer, "adaptation:outcomes_import").status_code == 403
    assert get(client, officer, "adaptation:centre_create").status_code == 403
    assert Referral.objects.get(pk=referral.pk).delivered_on is None


def test_an_analyst_sees_the_ministry_page_but_no_plan(client, analyst, plan):
    text = get(client, analyst, "adaptation:overview").content.decode()
    assert "region-map__tile" in text and plan.centre.name in text
    assert plan.family.name not in text
    assert get(client, analyst, "adaptation:plan_list").status_code == 403
    assert get(client, analyst, "adaptation:plan_detail", plan.pk).status_code == 403
    # The breadcrumb names the centres without leading to their list, which an analyst may not open.
    assert reverse("adaptation:centre_list") not in text
    assert get(client, analyst, "adaptation:centre_list").status_code == 403


def test_staff_deliver_a_service_check_in_and_out_on_the_plans_page(client, centre_staff, plan):
    referral = plan.referrals.order_by("id").first()
    response = post(client, centre_staff, "adaptation:referral_deliver", referral.pk,
                    data={f"d{referral.pk}-delivered_on": "2025-05-12", f"d{referral.pk}-note": "Кеңес берілді"})
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).delivered_on == date(2025, 5, 12)
    head = members(plan.family)[0]
    response = post(client, centre_staff, "adaptation:check_in", plan.pk,
                    data={"in-persons": [head.pk], "in-on": "2025-05-10"})
    assert response.status_code == 302
    stay = Stay.objects.get(person=head)
    response = post(client, centre_staff, "adaptation:check_out", plan.pk,
                    data={"out-stays": [stay.pk], "out-on": "2025-06-01"})
    assert response.status_code == 302 and Stay.objects.get(pk=stay.pk).check_out == date(2025, 6, 1)
    text = client.get(reverse("adaptation:plan_detail", args=[plan.pk])).content.decode()
    assert 'value="1"' in text and 'max="3"' in text  # the progress bar: 1 of 3


def test_a_refused_check_in_shows_its_reason_next_to_the_form(client, centre_staff, reference):
    from koshiqon.adaptation.services.catalogue import adaptation_catalogue_load

    adaptation_catalogue_load(by="test")
    small = make_centre(beds=1, staff=centre_staff)
    plan = make_plan(centre_staff, small)
    response = post(client, centre_staff, "adaptation:check_in", plan.pk,
                    data={"in-persons": [p.pk for p in members(plan.family)], "in-on": "2026-06-15"})
    assert response.status_code == 422 and not Stay.objects.exists()
    text = response.content.decode()
    form = text[text.index('id="check-in-form"'):]
    assert 'id="id_in-persons_errors"' in form[:form.index("</form>")]


def test_staff_make_a_plan_from_a_found_family(client, centre_staff, centre):
    family = make_family(name="Тұрсынбаев")
    search = get(client, centre_staff, "adaptation:plan_create", query=f"?centre={centre.pk}&q=Тұрсынбаев")
    assert family.name in search.content.decode()
    form = get(client, centre_staff, "adaptation:plan_create", query=f"?centre={centre.pk}&family={family.pk}")
    assert form.status_code == 200
    response = post(client, centre_staff, "adaptation:plan_create", data={
        "centre": centre.pk, "family": family.pk, "arrival_date": "2026-06-01", "transport": "rail", "work": "job",
        "housing": "relatives", "services": ["information", "legal_status"]})
    plan = Plan.objects.get(family=family)
    assert response.status_code == 302 and plan.referrals.count() == 2
    refused = post(client, centre_staff, "adaptation:plan_create", data={
        "centre": centre.pk, "family": make_family().pk, "arrival_date": "2026-06-01", "transport": "",
        "work": "job", "housing": "relatives"})
    assert refused.status_code == 422 and "field--invalid" in refused.content.decode()


def test_staff_enter_outcomes_on_the_plans_outcome_page(client, centre_staff, plan):
    head, spouse, _child = members(plan.family)
    page = get(client, centre_staff, "adaptation:plan_outcomes", plan.pk)
    assert f'name="o{head.pk}_12_stayed"' in page.content.decode()
    response = post(client, centre_staff, "adaptation:plan_outcomes", plan.pk, data={
        f"o{head.pk}_3_employed": "no", f"o{head.pk}_12_employed": "yes", f"o{head.pk}_12_sector": "F",
        f"o{head.pk}_12_stayed": "yes", f"o{spouse.pk}_6_employed": "no", f"o{spouse.pk}_6_sector": "G"})
    assert response.status_code == 422 and not Outcome.objects.exists()  # a sector without a job
    response = post(client, centre_staff, "adaptation:plan_outcomes", plan.pk, data={
        f"o{head.pk}_3_employed": "no", f"o{head.pk}_12_employed": "yes", f"o{head.pk}_12_sector": "F",
        f"o{head.pk}_12_stayed": "yes"})
    assert response.status_code == 302 and Outcome.objects.count() == 2


def test_the_import_page_starts_a_job_whose_page_lists_each_bad_row_and_saves_nothing(
        client, centre_staff, plan, django_capture_on_commit_callbacks):
    head = members(plan.family)[0]
    content = f"plan,person,months,employed\n{plan.number},{head.pk},3,yes\n{plan.number},{head.pk},5,yes\n"
    client.force_login(centre_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("adaptation:outcomes_import"),
                               {"file": SimpleUploadedFile("outcomes.csv", content.encode(), "text/csv")})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    assert not Outcome.objects.exists() and job.result["errors"][0][:2] == [3, "months"]
    assert 'id="import-problems"' in client.get(response["Location"]).content.decode()
    good = f"plan,person,months,employed\n{plan.number},{head.pk},3,yes\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("adaptation:outcomes_import"),
                               {"file": SimpleUploadedFile("outcomes.csv", good.encode(), "text/csv")})
    assert response.status_code == 302 and Outcome.objects.count() == 1
    assert Job.objects.latest("pk").result["saved"] is True


def test_a_national_officer_opens_a_centre_on_its_page(client, national, centre_staff, centre):
    response = post(client, national, "adaptation:centre_create", data={
        "name": "Қостанай орталығы", "region": "KZ-55", "address": "Қостанай", "beds": "15",
        "opened_on": "2017-02-01", "svc_psychologist": "on", "svc_state_language": "on",
        "places_state_language": "12", "staff": [centre_staff.pk]})
    assert response.status_code == 302
    from koshiqon.adaptation.models import Centre

    created = Centre.objects.get(name="Қостанай орталығы")
    assert dict(created.offers.values_list("service__code", "places")) == {"psychologist": None,
                                                                            "state_language": 12}
    assert get(client, national, "adaptation:centre_edit", created.pk).status_code == 200
    assert get(client, national, "adaptation:plan_list").status_code == 200
