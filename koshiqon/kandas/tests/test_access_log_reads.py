"""Every kandas page and API operation that names persons logs a read of each person shown: the lists (heads
of family), an application's file (every member), the steps of a new application (the families found, then
the members on the form), the step pages of the procedure, the ranked list of a run and the appeals."""

from datetime import date

import pytest
from django.urls import reverse

from koshiqon.core.models import AccessEvent
from koshiqon.kandas.models import Appeal
from koshiqon.kandas.tests import applications_setup as apps
from koshiqon.kandas.tests import selection_setup as sel

pytestmark = pytest.mark.django_db


def logged(user, channel: str = "page") -> set[str]:
    return set(AccessEvent.objects.filter(user=user, object_type="people.person", channel=channel)
               .values_list("object_id", flat=True))


def ids(persons) -> set[str]:
    return {str(getattr(p, "pk", p)) for p in persons}


def open_page(client, user, name, *args, **query):
    client.force_login(user)
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200
    return response


def members_of(family) -> list[int]:
    return list(family.members.values_list("person_id", flat=True))


@pytest.fixture
def data(reference):
    apps.load_kandas_data()


@pytest.fixture
def application(data, officer):
    return apps.submit(officer, apps.make_family())


# --- Applications ------------------------------------------------------------------------------------------

def test_the_application_list_logs_the_head_of_each_family_shown(client, officer, application):
    elsewhere = sel.make_application(region="KZ-75", status="submitted", education="")

    open_page(client, officer, "kandas:application_list")

    assert logged(officer) == ids([application.head_id])
    assert str(elsewhere.head_id) not in logged(officer)


def test_the_api_application_list_logs_the_head_of_each_family_on_the_page(api_client, officer, application):
    assert api_client(officer).get("/api/v1/kandas/applications").status_code == 200

    assert logged(officer, "api") == ids([application.head_id])


def test_opening_an_application_logs_every_member_of_the_family_it_lists(client, officer, application):
    open_page(client, officer, "kandas:application_detail", application.pk)

    assert logged(officer) == ids(members_of(application.family))
    assert AccessEvent.objects.filter(user=officer, object_id=str(application.head_id)).count() == 1


def test_reading_an_application_through_the_api_logs_every_member(api_client, officer, application):
    assert api_client(officer).get(f"/api/v1/kandas/applications/{application.pk}").status_code == 200

    assert logged(officer, "api") == ids(members_of(application.family))


def test_the_family_search_of_a_new_application_logs_each_member_it_names(client, officer, data):
    family = apps.make_family(name="Жақсыбековтер")

    open_page(client, officer, "kandas:application_submit", q="Жақсыбековтер")

    assert logged(officer) == ids(members_of(family))


def test_the_member_form_of_a_new_application_logs_each_member_it_names(client, officer, data):
    family = apps.make_family()

    open_page(client, officer, "kandas:application_submit", family=family.pk)

    assert logged(officer) == ids(members_of(family))


@pytest.mark.parametrize("step", ["application_check", "application_resubmit", "application_commission",
                                  "application_withdraw"])
def test_a_step_page_of_the_procedure_logs_the_head_it_names(client, officer, application, step):
    open_page(client, officer, f"kandas:{step}", application.pk)

    assert logged(officer) == ids([application.head_id])


# --- Selection and appeals ---------------------------------------------------------------------------------

@pytest.fixture
def scene(reference):
    sel.selection_scene()
    sel.make_plan(2026, {"KZ-55": 5, "KZ-75": 2})
    return {
        "top": sel.make_application(education="6", experience=6, size=2, last_name="Серікбаев"),
        "low": sel.make_application(education="3", last_name="Жақсыбеков"),
        "almaty": sel.make_application(region="KZ-75", education="5", last_name="Алиев"),
    }


@pytest.fixture
def proposed(scene, national, django_capture_on_commit_callbacks):
    from koshiqon.kandas.services.selection import selection_run_start

    with django_capture_on_commit_callbacks(execute=True):
        run = selection_run_start(year=2026, by=national)
    run.refresh_from_db()
    return run


def test_the_ranked_list_of_a_run_logs_the_head_of_each_family_shown(client, officer, proposed, scene):
    open_page(client, officer, "kandas:run_detail", proposed.pk)

    assert logged(officer) == ids([scene["top"].head_id, scene["low"].head_id])


def _appeal(application) -> Appeal:
    return Appeal.objects.create(application=application, filed_on=date(2026, 6, 1), due_on=date(2026, 7, 1),
                                 grounds="The diploma is of level 6")


def test_the_appeal_list_logs_the_head_of_each_family_shown(client, officer, scene):
    _appeal(scene["low"])
    _appeal(scene["almaty"])

    open_page(client, officer, "kandas:appeal_list")

    assert logged(officer) == ids([scene["low"].head_id])


def test_the_appeal_form_logs_the_head_it_names(client, officer, scene):
    open_page(client, officer, "kandas:appeal_create", scene["low"].pk)

    assert logged(officer) == ids([scene["low"].head_id])
