"""The shipped 2009 and 2026 quotas, setting a year's quota and moving places between regions."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db.models import Sum

from koshiqon.core.audit import audit_verify
from koshiqon.core.models import AuditEvent
from koshiqon.labour.models import LabourForce, LabourQuota, QuotaAllocation, QuotaRedistribution
from koshiqon.labour.selectors.quota import quota_left, utilisation, utilisation_totals
from koshiqon.labour.services.quota import labour_force_set, labour_quota_create, quota_redistribute
from koshiqon.labour.services.quota_data import DATA_DIR, LabourDataError, labour_data_load
from koshiqon.labour.tests.setup_quota_exchange import load_quotas, load_reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped(reference):
    load_reference()
    load_quotas()


def national(year: int) -> dict[str, int]:
    rows = QuotaAllocation.objects.filter(quota__year=year).values("category").annotate(places=Sum("places"))
    return {r["category"]: r["places"] for r in rows}


def move(by, **changes):
    values = {"year": 2026, "category": "3", "from_region": "KZ-55", "to_region": "KZ-75", "places": 10,
              "legal_act": "Order No. 17 of the Ministry of Labour", "act_date": date(2026, 5, 4),
              "reason": "Pavlodar's employers asked for fewer specialists"}
    return quota_redistribute(by=by, **(values | changes))


# --- The shipped quotas ----------------------------------------------------------------------------------

def test_the_2026_quota_loads_with_the_published_permits_of_each_category(shipped):
    assert national(2026) == {"1": 726, "2": 3402, "3": 5893, "4": 3131, "seasonal": 4994}
    quota = LabourQuota.objects.get(year=2026)
    assert (quota.share, quota.confidence) == (Decimal("0.0025"), "M")
    assert quota.labour_force == LabourForce.objects.filter(year=2026).aggregate(s=Sum("persons"))["s"]


def test_the_2009_quota_loads_as_075_per_cent_of_the_labour_force_in_its_three_categories(shipped):
    quota = LabourQuota.objects.get(year=2009)
    force = quota.labour_force
    assert quota.share == Decimal("0.0075") == Decimal("0.0035") + Decimal("0.0035") + Decimal("0.0005")
    assert national(2009) == {"1+2": int(force * Decimal("0.0035")), "3": int(force * Decimal("0.0035")),
                              "4-seasonal": int(force * Decimal("0.0005"))}
    assert quota.confidence == "H"


def test_each_year_is_split_over_the_regions_that_existed_then(shipped):
    regions_2009 = set(QuotaAllocation.objects.filter(quota__year=2009).values_list("region__code", flat=True))
    regions_2026 = set(QuotaAllocation.objects.filter(quota__year=2026).values_list("region__code", flat=True))
    assert len(regions_2009) == 16 and {"KZ-61", "KZ-71", "KZ-75"} <= regions_2009
    assert not regions_2009 & {"KZ-10", "KZ-33", "KZ-62", "KZ-79"}  # Abai, Zhetisu, Ulytau, Shymkent: later
    assert len(regions_2026) == 20
    assert QuotaAllocation.objects.filter(quota__year=2026).count() == 20 * 5


def test_the_regional_split_follows_the_labour_force(shipped):
    almaty = QuotaAllocation.objects.get(quota__year=2026, region__code="KZ-75", category="3").places
    ulytau = QuotaAllocation.objects.get(quota__year=2026, region__code="KZ-62", category="3").places
    force = dict(LabourForce.objects.filter(year=2026).values_list("region__code", "persons"))
    assert almaty > ulytau
    assert abs(almaty - 5893 * force["KZ-75"] / sum(force.values())) < 1


def test_loading_twice_changes_nothing_and_keeps_places_that_moved(shipped, national_user):
    move(national_user, places=7)
    after_move = QuotaAllocation.objects.get(quota__year=2026, region__code="KZ-75", category="3").places
    counts = labour_data_load(by="test")
    assert (counts["quotas_created"], counts["allocations_created"], counts["labour_force_created"]) == (0, 0, 0)
    assert QuotaAllocation.objects.get(quota__year=2026, region__code="KZ-75", category="3").places == after_move
    assert QuotaRedistribution.objects.count() == 1
    assert national(2026)["3"] == 5893


def test_the_command_loads_the_quotas_and_a_second_run_creates_nothing(reference):
    load_reference()
    out = StringIO()
    call_command("load_labour", stdout=out)
    assert "quotas_created            2" in out.getvalue()
    call_command("load_labour", stdout=(second := StringIO()))
    assert "quotas_created            0" in second.getvalue()


def test_the_loader_refuses_a_region_that_did_not_exist_that_year(reference, tmp_path):
    load_reference()
    for name in ("quotas.csv", "quota_acts.csv"):
        (tmp_path / name).write_text((DATA_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    text = (DATA_DIR / "labour_force.csv").read_text(encoding="utf-8") + '2009,KZ-79,1000,L,"Shymkent in 2009"\n'
    (tmp_path / "labour_force.csv").write_text(text, encoding="utf-8")
    with pytest.raises(LabourDataError) as caught:
        labour_data_load(by="test", data_dir=tmp_path)
    assert "2009 KZ-79" in str(caught.value)
    assert not LabourQuota.objects.exists()


# --- Setting a quota -------------------------------------------------------------------------------------------

@pytest.fixture
def national_user(national):
    return national


def test_a_national_officer_sets_a_year_s_quota_on_the_labour_force_given(shipped, national_user):
    quota = labour_quota_create(
        year=2027, share=Decimal("0.0025"), legal_act="Order of the Minister", by=national_user,
        components={"1": "700", "2": "3400", "3": "0.06%", "4": 3100, "seasonal": "5000"},
        labour_force={"KZ-55": 400_000, "KZ-75": 1_200_000},
    )
    assert national(2027) == {"1": 700, "2": 3400, "3": 960, "4": 3100, "seasonal": 5000}
    assert quota.labour_force == 1_600_000
    assert QuotaAllocation.objects.get(quota=quota, region__code="KZ-55", category="3").places == 240
    event = AuditEvent.objects.get(action="labour.quota.create", object_id=str(quota.pk))
    assert event.after["national"]["3"] == 960 and event.after["regional"]["3"] == {"KZ-55": 240, "KZ-75": 720}


def test_a_quota_names_each_category_of_its_year_and_nothing_else(shipped, national_user):
    labour_force_set(year=2027, persons={"KZ-55": 400_000}, by=national_user)
    with pytest.raises(ValidationError) as caught:
        labour_quota_create(year=2027, legal_act="", by=national_user,
                            components={"1+2": "10", "1": "", "2": "x", "3": "5", "4": "-1", "seasonal": "200%"})
    errors = caught.value.message_dict
    assert set(errors) == {"components.1+2", "components.1", "components.2", "components.4",
                           "components.seasonal", "legal_act"}
    assert "0.35%" in errors["components.1"][0]


def test_a_quota_needs_the_labour_force_of_its_year_and_is_set_once(shipped, national_user):
    with pytest.raises(ValidationError) as caught:
        labour_quota_create(year=2030, legal_act="Order", by=national_user,
                            components={c: "1" for c in ("1", "2", "3", "4", "seasonal")})
    assert "labour force" in caught.value.message_dict["year"][0]
    with pytest.raises(ValidationError) as caught:
        labour_quota_create(year=2026, legal_act="Order", by=national_user, components={})
    assert "already set" in caught.value.message_dict["year"][0]


def test_the_labour_force_of_a_year_cannot_change_once_its_quota_is_set(shipped, national_user):
    with pytest.raises(ValidationError) as caught:
        labour_force_set(year=2026, persons={"KZ-55": 1}, by=national_user)
    assert "year" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        labour_force_set(year=2009, persons={"KZ-79": 1}, by=national_user)
    assert "year" in caught.value.message_dict  # 2009 is set too; and Shymkent was no city then


def test_a_region_that_did_not_exist_that_year_has_no_labour_force(shipped, national_user):
    with pytest.raises(ValidationError) as caught:
        labour_force_set(year=2015, persons={"KZ-79": 500_000, "KZ-55": 400_000, "KZ-00": 5}, by=national_user)
    assert set(caught.value.message_dict) == {"persons.KZ-79", "persons.KZ-00"}


@pytest.mark.parametrize("user", ["officer", "viewer", "employer", "analyst"])
def test_only_a_national_officer_sets_quotas_and_moves_places(shipped, user, request):
    who = request.getfixturevalue(user)
    with pytest.raises(PermissionDenied):
        labour_quota_create(year=2027, legal_act="Order", components={}, by=who)
    with pytest.raises(PermissionDenied):
        move(who)
    with pytest.raises(PermissionDenied):
        labour_force_set(year=2027, persons={"KZ-55": 1}, by=who)


# --- Redistribution ---------------------------------------------------------------------------------------------

def test_moving_places_changes_both_regions_records_the_act_and_is_audited(shipped, national_user):
    giving = QuotaAllocation.objects.get(quota__year=2026, region__code="KZ-55", category="3")
    receiving = QuotaAllocation.objects.get(quota__year=2026, region__code="KZ-75", category="3")
    before = (giving.places, receiving.places)
    moved = move(national_user, places=12)
    giving.refresh_from_db()
    receiving.refresh_from_db()
    assert (giving.places, receiving.places) == (before[0] - 12, before[1] + 12)
    assert national(2026)["3"] == 5893
    assert (moved.legal_act, moved.act_date, moved.by) == ("Order No. 17 of the Ministry of Labour", date(2026, 5, 4),
                                                           national_user)
    event = AuditEvent.objects.get(action="labour.quota.redistribute")
    assert event.before == {"places": {"KZ-55": before[0], "KZ-75": before[1]}}
    assert event.after["places"] == {"KZ-55": before[0] - 12, "KZ-75": before[1] + 12}
    assert event.reason == "Pavlodar's employers asked for fewer specialists"
    assert audit_verify() is None


def test_moving_more_places_than_are_unused_is_refused_and_changes_nothing(shipped, national_user):
    giving = QuotaAllocation.objects.get(quota__year=2026, region__code="KZ-55", category="3")
    giving.used = giving.places - 5
    giving.save()
    with pytest.raises(ValidationError) as caught:
        move(national_user, places=6)
    assert "only 5 unused places" in caught.value.message_dict["places"][0]
    assert not QuotaRedistribution.objects.exists()
    assert not AuditEvent.objects.filter(action="labour.quota.redistribute").exists()
    move(national_user, places=5)
    assert quota_left(year=2026, region="KZ-55", category="3") == 0


def test_a_move_needs_two_regions_a_known_category_an_act_and_its_date(shipped, national_user):
    with pytest.raises(ValidationError) as caught:
        move(national_user, to_region="KZ-55", legal_act=" ", act_date=None)
    assert set(caught.value.message_dict) == {"to_region", "legal_act", "act_date"}
    with pytest.raises(ValidationError) as caught:
        move(national_user, category="1+2")
    assert set(caught.value.message_dict) == {"category"}
    with pytest.raises(ValidationError) as caught:
        move(national_user, year=2015)
    assert set(caught.value.message_dict) == {"year"}


def test_the_places_left_are_read_by_region_code_instance_or_id(shipped):
    allocation = QuotaAllocation.objects.get(quota__year=2026, region__code="KZ-55", category="4")
    allocation.used = 2
    allocation.save()
    assert quota_left(year=2026, region="KZ-55", category="4") == allocation.places - 2
    assert quota_left(year=2026, region=allocation.region, category="4") == allocation.places - 2
    assert quota_left(year=2026, region=allocation.region_id, category="4") == allocation.places - 2
    assert quota_left(year=2026, region="KZ-55", category="1+2") == 0
    assert quota_left(year=2015, region="KZ-55", category="4") == 0


def test_utilisation_shows_a_regional_officer_only_their_regions(shipped, officer, national_user):
    QuotaAllocation.objects.filter(quota__year=2026, region__code="KZ-55", category="1").update(used=3)
    rows = utilisation(user=officer, year=2026)
    assert {r.region.code for r in rows} == {"KZ-55"}
    assert [r.category for r in rows] == ["1", "2", "3", "4", "seasonal"]
    first = rows[0]
    assert (first.used, first.left, first.percent) == (3, first.places - 3, round(Decimal(300) / first.places, 1))
    assert len(utilisation(user=national_user, year=2026)) == 100
    totals = utilisation_totals(utilisation(user=national_user, year=2026), 2026)
    assert [(t.category, t.places) for t in totals] == [("1", 726), ("2", 3402), ("3", 5893), ("4", 3131),
                                                        ("seasonal", 4994)]
