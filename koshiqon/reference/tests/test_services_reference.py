"""Loading the reference data into the database, and reading it back through the selectors."""

import shutil
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from koshiqon.core.audit import audit_verify
from koshiqon.core.models import AuditEvent, DayTransfer, MciRate
from koshiqon.reference import selectors
from koshiqon.reference.models import Country, Occupation, Region, RegionName
from koshiqon.reference.services import DATA_DIR, ReferenceDataError, reference_load

EXPECTED = {
    "regions": 20,
    "region_names": 23,
    "countries": 249,
    "occupations": 183,
    "education_levels": 9,
    "mci_rates": 23,
    "day_transfers": 38,
}


@pytest.fixture
def data_copy(tmp_path):
    for source in DATA_DIR.glob("*.csv"):
        shutil.copy(source, tmp_path / source.name)
    return tmp_path


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.django_db
def test_loading_twice_gives_the_same_counts_and_the_second_load_changes_nothing(
    django_assert_max_num_queries,
):
    first = reference_load(by="test")
    with django_assert_max_num_queries(40):  # bulk statements, never one query per row
        second = reference_load(by="test")

    assert first == second == EXPECTED
    events = list(AuditEvent.objects.filter(action="reference.load"))
    assert len(events) == 2
    assert events[0].after["created"]["countries"] == 249
    assert events[0].after["created"]["occupations"] == 183
    assert events[0].after["updated"]["occupations"] == 0
    assert events[1].after["counts"] == EXPECTED
    assert sum(events[1].after["created"].values()) == 0
    assert sum(events[1].after["updated"].values()) == 0
    assert sum(events[1].after["deleted"].values()) == 0


@pytest.mark.django_db
def test_a_load_writes_one_audit_event_with_the_acting_user_and_the_chain_stays_intact(national):
    before = AuditEvent.objects.count()

    reference_load(by=national)

    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.actor, event.object_type) == ("reference.load", national, "reference.dataset")
    assert event.after["counts"] == EXPECTED
    assert audit_verify() is None


@pytest.mark.django_db
def test_regions_have_the_name_in_force_on_each_date():
    reference_load(by="test")

    in_2007 = {r.code: r for r in selectors.regions_on(date(2007, 8, 28))}
    in_2026 = {r.code: r for r in selectors.regions_on(date(2026, 1, 1))}

    assert len(in_2007) == 16 and len(in_2026) == 20
    assert "KZ-79" not in in_2007 and "KZ-10" not in in_2007
    assert in_2007["KZ-61"].name_on(date(2007, 8, 28), "kk") == "Оңтүстік Қазақстан облысы"
    assert in_2026["KZ-61"].name_on(date(2026, 1, 1), "ru") == "Туркестанская область"
    astana = selectors.region_by_code("kz-71")
    assert astana.name_on(date(2020, 1, 1), "en") == "Nur-Sultan city"
    assert astana.name_on(date(2023, 1, 1), "kk") == "Астана қаласы"
    assert selectors.region_by_code("KZ-99") is None


@pytest.mark.django_db
def test_occupations_are_linked_to_their_parent_groups():
    reference_load(by="test")

    doctors = Occupation.objects.select_related("parent__parent").get(code="221")
    assert (doctors.parent.code, doctors.parent.parent.code, doctors.parent.parent.parent) == (
        "22",
        "2",
        None,
    )
    assert selectors.occupations(level=3).count() == 130
    assert [o.code for o in selectors.occupations(level=1)] == list("0123456789")
    assert not Occupation.objects.filter(level__gt=1, parent__isnull=True).exists()


@pytest.mark.django_db
def test_the_selectors_give_countries_by_any_iso_code_and_plain_tuples_for_the_calendar():
    reference_load(by="test")

    assert (
        selectors.country_by_code("kz")
        == selectors.country_by_code("KAZ")
        == selectors.country_by_code("398")
    )
    assert selectors.country_by_code("KZ").eaeu_member_since == date(2015, 1, 1)
    assert selectors.country_by_code("XX") is None
    assert [e.code for e in selectors.education_levels()] == [str(n) for n in range(9)]
    rates = selectors.mci_rates()
    assert rates[0] == (date(2007, 1, 1), 1092) and rates[-1] == (date(2026, 1, 1), 4325)
    assert (date(2024, 5, 4), date(2024, 5, 8)) in selectors.day_transfers()


@pytest.mark.django_db
def test_an_edited_file_updates_its_rows_and_removed_rows_are_deleted(data_copy):
    reference_load(by="test")
    edit(data_copy / "mci.csv", "2026-01-01,4325,", "2026-01-01,4326,")
    edit(data_copy / "day_transfers.csv", "2025-01-05,2025-01-03,M,", "2025-01-04,2025-01-03,M,")
    edit(data_copy / "countries.csv", "KZ,KAZ,398,Қазақстан,", "KZ,KAZ,398,Қазақстан Республикасы,")

    counts = reference_load(by="test", data_dir=data_copy)

    assert counts == EXPECTED
    assert MciRate.objects.get(valid_from=date(2026, 1, 1)).tenge == 4326
    assert DayTransfer.objects.get(day_off=date(2025, 1, 3)).working_day == date(2025, 1, 4)
    assert Country.objects.get(alpha2="KZ").name_kk == "Қазақстан Республикасы"
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.after["updated"] == {**{k: 0 for k in EXPECTED}, "countries": 1, "mci_rates": 1}
    assert event.after["deleted"]["day_transfers"] == 1 and event.after["created"]["day_transfers"] == 1


@pytest.mark.django_db
def test_a_bad_file_loads_nothing_and_writes_no_audit_event(data_copy):
    edit(data_copy / "regions.csv", "KZ-79,79,city,2018-06-19,", "KZ-79,79,town,2018-06-19,")

    with pytest.raises(ReferenceDataError) as caught:
        reference_load(by="test", data_dir=data_copy)

    assert caught.value.problems == ["regions.csv line 21: bad kind: town"]
    assert not Region.objects.exists() and not RegionName.objects.exists() and not MciRate.objects.exists()
    assert not AuditEvent.objects.filter(action="reference.load").exists()


@pytest.mark.django_db
def test_loading_over_the_small_test_fixture_replaces_its_names_without_duplicating_regions(reference):
    reference_load(by="test")

    assert Region.objects.filter(code="KZ-55").count() == 1
    assert list(RegionName.objects.filter(region__code="KZ-55").values_list("valid_from", flat=True)) == [
        None
    ]


@pytest.mark.django_db
def test_the_command_prints_the_counts_per_table():
    out = StringIO()

    call_command("load_reference", stdout=out)

    printed = dict(line.split() for line in out.getvalue().splitlines() if len(line.split()) == 2)
    assert printed == {table: str(count) for table, count in EXPECTED.items()}
    assert AuditEvent.objects.get(action="reference.load").actor_label == "manage.py load_reference"


@pytest.mark.django_db
def test_the_admin_shows_the_reference_tables_but_offers_no_way_to_change_them(client, django_user_model):
    reference_load(by="test")
    staff = django_user_model.objects.create_superuser("root", "root@example.org", "a-long-password-1")
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    region = Region.objects.get(code="KZ-61")

    listing = client.get("/admin/reference/region/")
    page = client.get(f"/admin/reference/region/{region.pk}/change/")

    assert listing.status_code == 200 and "KZ-61" in listing.content.decode()
    assert page.status_code == 200 and "Түркістан облысы" in page.content.decode()
    assert client.get("/admin/reference/region/add/").status_code == 403
    assert client.post(f"/admin/reference/region/{region.pk}/delete/", {"post": "yes"}).status_code == 403
    for path in ("country", "occupation", "educationlevel"):
        assert client.get(f"/admin/reference/{path}/").status_code == 200
    for path in ("mcirate", "daytransfer"):
        assert client.get(f"/admin/core/{path}/").status_code == 200
    assert Region.objects.filter(code="KZ-61").exists()


def test_an_administrator_sees_the_reference_tables_in_the_admin_and_an_officer_does_not(client, reference):
    from koshiqon.accounts.services import user_create

    admin_user = user_create(username="refadmin", password="x", role="administrator", by=None, check_password=False)
    officer = user_create(username="refofficer", password="x", role="regional_officer", region_codes=["KZ-55"],
                          by=None, check_password=False)
    client.force_login(admin_user)
    assert client.get("/admin/reference/region/").status_code == 200
    assert client.post("/admin/reference/region/add/", {}).status_code == 403
    client.force_login(officer)
    assert client.get("/admin/reference/region/").status_code == 302  # not staff: sent to the admin login
