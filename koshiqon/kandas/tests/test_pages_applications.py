"""The application pages: who may open what, the officer's list with overdue flags, the submit form built
from the family in the registry, the procedure's step pages, the quota page and the XLSX export."""

from datetime import date, datetime
from io import BytesIO

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from koshiqon.core.models import AccessEvent
from koshiqon.kandas.models import Application
from koshiqon.kandas.services.applications import kandas_check_file
from koshiqon.kandas.tests.applications_setup import ALMATY, load_kandas_data, make_family, submit
from koshiqon.web.templatetags.kz import kzdate

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(reference):
    load_kandas_data()


@pytest.fixture
def application(data, officer):
    return submit(officer, make_family())


def get(client, user, name, *args, **query):
    client.force_login(user)
    return client.get(reverse(name, args=args), query)


def post(client, user, name, *args, data):
    client.force_login(user)
    return client.post(reverse(name, args=args), data)


# --- Who may open what -------------------------------------------------------------------------------------

def test_the_officer_of_the_region_opens_the_list_detail_and_step_pages(client, officer, application):
    assert get(client, officer, "kandas:application_list").status_code == 200
    assert get(client, officer, "kandas:application_detail", application.pk).status_code == 200
    for name in ("kandas:application_check", "kandas:application_withdraw", "kandas:application_submit"):
        args = () if name.endswith("submit") else (application.pk,)
        assert get(client, officer, name, *args).status_code == 200, name


def test_a_viewer_reads_but_may_not_process(client, viewer, application):
    assert get(client, viewer, "kandas:application_list").status_code == 200
    assert get(client, viewer, "kandas:application_detail", application.pk).status_code == 200
    assert get(client, viewer, "kandas:application_check", application.pk).status_code == 403
    assert get(client, viewer, "kandas:application_submit").status_code == 403
    assert post(client, viewer, "kandas:application_withdraw", application.pk,
                data={"reason": "x"}).status_code == 403
    assert Application.objects.get(pk=application.pk).status == "submitted"


def test_an_officer_of_another_region_gets_404(client, other_officer, application):
    assert get(client, other_officer, "kandas:application_detail", application.pk).status_code == 404
    assert get(client, other_officer, "kandas:application_check", application.pk).status_code == 404
    assert application.number not in get(client, other_officer, "kandas:application_list").content.decode()


def test_an_analyst_may_not_open_the_kandas_pages(client, analyst, application):
    assert get(client, analyst, "kandas:application_list").status_code == 403
    assert get(client, analyst, "kandas:quota_list").status_code == 403
    assert get(client, analyst, "kandas:application_detail", application.pk).status_code == 403


def test_the_kandas_menu_item_shows_for_officers_only(client, officer, analyst, data):
    assert reverse("kandas:application_list") in get(client, officer, "web:home").content.decode()
    assert reverse("kandas:application_list") not in get(client, analyst, "web:home").content.decode()


def test_opening_an_application_is_logged_against_the_head(client, officer, application):
    get(client, officer, "kandas:application_detail", application.pk)
    assert AccessEvent.objects.filter(object_type="people.person", object_id=str(application.head_id),
                                      channel="page").exists()


# --- The list ----------------------------------------------------------------------------------------------

def test_the_list_flags_overdue_files_and_filters_them(client, officer, data):
    late = submit(officer, make_family(), applied_at=datetime(2026, 2, 2, 9, 0, tzinfo=ALMATY))
    in_time = kandas_check_file(application=submit(officer, make_family()), complete=True, by=officer)

    everything = get(client, officer, "kandas:application_list")
    flags = {a.number: a.is_overdue for a in everything.context["page"].object_list}
    assert flags == {late.number: True, in_time.number: False}
    assert everything.content.decode().count('class="overdue"') == 1

    overdue_only = get(client, officer, "kandas:application_list", overdue="on")
    assert [a.number for a in overdue_only.context["page"].object_list] == [late.number]


def test_the_detail_shows_members_deadlines_documents_and_history(client, officer, application):
    html = get(client, officer, "kandas:application_detail", application.pk).content.decode()
    assert application.number in html
    assert application.head.full_name in html
    with translation.override("kk"):
        assert kzdate(date(2026, 3, 26)) in html  # the check is due on 26 March 2026, after Nauryz
    assert html.count('class="badge badge--ok"') >= 2  # documents received


def test_the_pages_name_the_rules_in_force_in_the_readers_language(client, officer, application):
    rules = application.rules_version
    assert rules.code == "rules-2026" and rules.title_kk and rules.title_ru
    with translation.override("kk"):
        detail = get(client, officer, "kandas:application_detail", application.pk).content.decode()
        quota = get(client, officer, "kandas:quota_detail", 2026, "kandas").content.decode()
    assert rules.title_kk in detail and rules.legal_act_kk in detail
    assert rules.title_kk in quota
    assert rules.title_en not in detail + quota and rules.legal_act_en not in detail

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    with translation.override("ru"):
        detail = get(client, officer, "kandas:application_detail", application.pk).content.decode()
    assert rules.title_ru in detail and rules.legal_act_ru in detail and rules.title_kk not in detail


# --- Submitting and the steps ------------------------------------------------------------------------------

def _form_data(family, **changes):
    members = list(family.members.order_by("id"))
    data = {
        "family": family.pk, "region": "KZ-55", "channel": "in_person", "language": "kk", "applied_at": "2026-04-07T10:30",
        "priority": "", "checklist": ["application", "identity_document"],
        "m-TOTAL_FORMS": len(members), "m-INITIAL_FORMS": len(members), "m-MIN_NUM_FORMS": 0, "m-MAX_NUM_FORMS": 1000,
    }
    for i, m in enumerate(members):
        data |= {f"m-{i}-person": m.person_id, f"m-{i}-moves": "on", f"m-{i}-kazakh": "fluent",
                 f"m-{i}-russian": "none", f"m-{i}-experience_years": "0", f"m-{i}-education": "",
                 f"m-{i}-occupation": ""}
    data |= {"m-0-education": "6", "m-0-occupation": "214", "m-0-experience_years": "10"}
    return data | changes


def test_the_submit_page_finds_the_family_and_lists_its_members(client, officer, data):
    family = make_family(name="Жақсыбековтер")
    found = get(client, officer, "kandas:application_submit", q="Жақсыбековтер").content.decode()
    assert f"?family={family.pk}" in found
    form = get(client, officer, "kandas:application_submit", family=family.pk).content.decode()
    for member in family.members.all():
        assert member.person.full_name in form


def test_an_officer_registers_an_application_from_the_form(client, officer, data):
    family = make_family()
    response = post(client, officer, "kandas:application_submit", data=_form_data(family, **{"m-3-moves": ""}))
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("kandas:application_detail",
                                                                            args=[application.pk])
    assert application.members.count() == 3  # the youngest child stays
    head = application.members.get(relation="head")
    assert (head.education.code, head.occupation.code, head.kazakh) == ("6", "214", "fluent")


def test_member_errors_show_on_the_members_row(client, officer, data):
    family = make_family()
    response = post(client, officer, "kandas:application_submit",
                    data=_form_data(family, **{"m-1-experience_years": "30"}))
    assert response.status_code == 200
    assert not Application.objects.exists()
    member_form = response.context["formset"].forms[1]
    assert "experience_years" in member_form.errors


def test_the_check_and_commission_steps_move_the_application(client, officer, application):
    response = post(client, officer, "kandas:application_check", application.pk,
                    data={"complete": "yes", "note": ""})
    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).status == "checked"
    response = post(client, officer, "kandas:application_commission", application.pk,
                    data={"recommend": "no", "reasons": ""})
    assert response.status_code == 200 and "reasons" in response.context["form"].errors
    post(client, officer, "kandas:application_commission", application.pk, data={"recommend": "yes"})
    assert Application.objects.get(pk=application.pk).status == "recommended"
    html = get(client, officer, "kandas:application_detail", application.pk).content.decode()
    assert html.count("<h3>") >= 3  # registered, checked, recommended in the status history


def test_a_returned_file_is_handed_in_again_from_its_page(client, officer, application):
    post(client, officer, "kandas:application_check", application.pk,
         data={"complete": "no", "missing": ["photos", "employment_record"]})
    assert Application.objects.get(pk=application.pk).status == "returned"
    page = get(client, officer, "kandas:application_resubmit", application.pk)
    # Only the documents found missing are offered.
    assert [c[0] for c in page.context["form"].fields["received"].choices] == ["employment_record", "photos"]
    post(client, officer, "kandas:application_resubmit", application.pk, data={"received": ["photos"]})
    assert Application.objects.get(pk=application.pk).status == "submitted"


# --- Quota plans and export --------------------------------------------------------------------------------

def test_the_quota_page_shows_the_regions_with_bars(client, viewer, officer, data):
    submit(officer, make_family())
    response = get(client, viewer, "kandas:quota_detail", 2026, "kandas")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="quota-bar"') == 8
    pavlodar = next(r for r in response.context["use"].rows if r.code == "KZ-55")
    assert (pavlodar.quota, pavlodar.pending) == (977, 4)
    assert get(client, viewer, "kandas:quota_list").status_code == 200
    assert get(client, viewer, "kandas:quota_detail", 2019, "kandas").status_code == 404


def test_the_list_exports_to_xlsx_with_its_rows(client, officer, data):
    first, second = submit(officer, make_family()), submit(officer, make_family())
    response = get(client, officer, "kandas:application_export")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    assert {rows[1][0], rows[2][0]} == {first.number, second.number}
    assert rows[1][6] == 4  # persons
    from koshiqon.core.models import AccessEvent

    logged = set(AccessEvent.objects.filter(channel="export", user=officer).values_list("object_id", flat=True))
    assert logged == {str(first.head_id), str(second.head_id)}  # each head named in the workbook is a logged read


def test_the_export_keeps_the_filters_and_the_regions(client, officer, other_officer, data):
    submit(officer, make_family())
    sheet = load_workbook(BytesIO(get(client, other_officer, "kandas:application_export").content)).active
    assert sheet.max_row == 1  # the header only
    filtered = get(client, officer, "kandas:application_export", status="checked")
    assert load_workbook(BytesIO(filtered.content)).active.max_row == 1


def test_the_what_if_button_shows_only_to_those_who_may_run_a_selection(client, officer, national, application):
    whatif = reverse("kandas:whatif")
    assert whatif not in get(client, officer, "kandas:application_list").content.decode()
    assert get(client, officer, "kandas:whatif").status_code == 403
    assert whatif in get(client, national, "kandas:application_list").content.decode()
