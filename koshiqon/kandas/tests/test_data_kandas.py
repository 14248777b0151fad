"""The kandas data files (quota plans, regional quotas, policy versions) and their loader."""

import csv
import shutil
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from koshiqon.core.models import AuditEvent, PolicyVersion
from koshiqon.core.policy import policy_in_force
from koshiqon.kandas.domain.policy import GRID_KIND, RULES_KIND
from koshiqon.kandas.models import QuotaPlan, RegionalQuota
from koshiqon.kandas.services.quotas import DATA_DIR, KandasDataError, kandas_data_load, kandas_data_read
from koshiqon.reference.services import reference_load

REFERENCE_REGIONS = Path(__file__).resolve().parents[2] / "reference" / "data" / "regions.csv"


def regional(year: int, category: str) -> dict[str, int]:
    with (DATA_DIR / "regional_quotas.csv").open(encoding="utf-8") as handle:
        return {r["region"]: int(r["amount"]) for r in csv.DictReader(handle)
                if int(r["year"]) == year and r["category"] == category}


def plan(year: int, category: str = "kandas") -> dict:
    return next(p for p in kandas_data_read().plans if (p["year"], p["category"]) == (year, category))


# --- The files ---------------------------------------------------------------------------------------------

def test_the_2007_regional_split_of_resolution_1198_adds_up_to_15000_families():
    split = regional(2007, "kandas")
    assert len(split) == 16
    assert sum(split.values()) == 15_000 == plan(2007)["national_total"]
    assert split["KZ-61"] == 2765  # South Kazakhstan, the largest share
    assert split["KZ-47"] == 1998  # Mangystau
    assert plan(2007)["legal_number"] == "1198"


def test_the_2026_quotas_are_counted_in_persons_and_their_splits_add_up():
    assert sum(regional(2026, "kandas").values()) == 2281 == plan(2026)["national_total"]
    assert sum(regional(2026, "settlers").values()) == 5997 == plan(2026, "settlers")["national_total"]
    assert plan(2026)["unit"] == "persons"
    assert regional(2026, "kandas")["KZ-55"] == 977


@pytest.mark.parametrize(("year", "total"), [(2005, 15000), (2006, 15000), (2007, 15000), (2012, 10000),
                                             (2013, 10000), (2014, 10000)])
def test_the_national_quotas_of_the_concept_years_and_of_2012_2014_are_in_families(year, total):
    assert (plan(year)["unit"], plan(year)["national_total"]) == ("families", total)


def test_the_2016_regional_quota_is_1259_kandas_families_and_463_settler_families():
    assert (plan(2016)["unit"], plan(2016)["national_total"]) == ("families", 1259)
    assert plan(2016, "settlers")["national_total"] == 463


def test_every_regional_quota_names_a_region_of_the_reference_data():
    with REFERENCE_REGIONS.open(encoding="utf-8") as handle:
        known = {row["code"] for row in csv.DictReader(handle)}
    with (DATA_DIR / "regional_quotas.csv").open(encoding="utf-8") as handle:
        assert {row["region"] for row in csv.DictReader(handle)} <= known


def test_the_policy_versions_of_one_kind_never_overlap():
    versions = sorted(kandas_data_read().versions, key=lambda v: (v["kind"], v["valid_from"]))
    for earlier, later in zip(versions, versions[1:], strict=False):
        if earlier["kind"] == later["kind"]:
            assert earlier["valid_to"] is not None and earlier["valid_to"] < later["valid_from"]


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def test_a_bad_row_is_reported_with_its_file_and_line(tmp_path):
    data = _copy_data(tmp_path)
    with (data / "regional_quotas.csv").open("a", encoding="utf-8") as handle:
        handle.write("2007,kandas,KZ-99,abc\n")
    with pytest.raises(KandasDataError) as error:
        kandas_data_read(data_dir=data)
    assert any(p.startswith("regional_quotas.csv line 33:") and "amount" in p for p in error.value.problems)


def test_a_regional_split_above_the_national_total_is_refused(tmp_path):
    data = _copy_data(tmp_path)
    text = (data / "regional_quotas.csv").read_text(encoding="utf-8").replace("2007,kandas,KZ-75,110",
                                                                               "2007,kandas,KZ-75,111")
    (data / "regional_quotas.csv").write_text(text, encoding="utf-8")
    with pytest.raises(KandasDataError) as error:
        kandas_data_read(data_dir=data)
    assert any("quota_plans.csv line 4" in p and "15001" in p for p in error.value.problems)


def test_a_policy_file_that_breaks_its_schema_is_refused_with_the_field(tmp_path):
    data = _copy_data(tmp_path)
    text = (data / "rules_2025.json").read_text(encoding="utf-8").replace('"quota_unit": "persons"',
                                                                           '"quota_unit": "people"')
    (data / "rules_2025.json").write_text(text, encoding="utf-8")
    with pytest.raises(KandasDataError) as error:
        kandas_data_read(data_dir=data)
    assert any("rules_2025.json: quota_unit:" in p for p in error.value.problems)


# --- Loading -----------------------------------------------------------------------------------------------

@pytest.fixture
def regions(db):
    reference_load(by=None)


def test_the_loader_creates_the_plans_and_versions_and_a_second_run_changes_nothing(regions):
    first = kandas_data_load(by="test")
    assert first["plans_created"] == QuotaPlan.objects.count() == 18
    assert first["versions_created"] == 6
    split = QuotaPlan.objects.get(year=2007, category="kandas").regional.all()
    assert sum(q.amount for q in split) == 15_000
    rows, versions = RegionalQuota.objects.count(), PolicyVersion.objects.count()

    second = kandas_data_load(by="test")

    assert {k: v for k, v in second.items() if k not in ("quota_plans", "policy_versions")} == dict.fromkeys(
        ("plans_created", "plans_updated", "regional_changed", "versions_created", "versions_closed",
         "versions_reworded"), 0)
    assert (QuotaPlan.objects.count(), RegionalQuota.objects.count(), PolicyVersion.objects.count()) == (
        18, rows, versions)
    assert AuditEvent.objects.filter(action="kandas.data.load").count() == 2


def test_the_version_in_force_is_chosen_by_date(regions):
    kandas_data_load(by="test")
    assert policy_in_force(kind=RULES_KIND, on=date(2008, 6, 1)).code == "rules-2007"
    assert policy_in_force(kind=RULES_KIND, on=date(2025, 12, 31)).code == "rules-2025"
    assert policy_in_force(kind=RULES_KIND, on=date(2026, 1, 1)).code == "rules-2026"
    assert policy_in_force(kind=RULES_KIND, on=date(2013, 1, 1)) is None
    assert policy_in_force(kind=GRID_KIND, on=date(2026, 6, 1)).code == "grid-2025"


def test_a_changed_figure_in_the_files_updates_the_plan(regions, tmp_path):
    kandas_data_load(by="test")
    data = _copy_data(tmp_path)
    text = (data / "regional_quotas.csv").read_text(encoding="utf-8").replace("2026,kandas,KZ-27,30",
                                                                               "2026,kandas,KZ-27,29")
    (data / "regional_quotas.csv").write_text(text, encoding="utf-8")

    counts = kandas_data_load(by="test", data_dir=data)

    assert counts["regional_changed"] == 1
    assert RegionalQuota.objects.get(plan__year=2026, plan__category="kandas", region__code="KZ-27").amount == 29


def test_a_policy_version_is_never_edited_by_the_loader(regions, tmp_path):
    kandas_data_load(by="test")
    data = _copy_data(tmp_path)
    text = (data / "rules_2026.json").read_text(encoding="utf-8").replace('"employer_mci": 400',
                                                                           '"employer_mci": 500')
    (data / "rules_2026.json").write_text(text, encoding="utf-8")

    with pytest.raises(KandasDataError) as error:
        kandas_data_load(by="test", data_dir=data)

    assert "rules-2026" in str(error.value) and "never edited" in str(error.value)
    assert PolicyVersion.objects.get(code="rules-2026").parameters["support"]["employer_mci"] == "400"


WORDING = ["title_kk", "title_ru", "title_en", "legal_act_kk", "legal_act_ru", "legal_act_en"]


def test_every_shipped_version_has_its_title_and_act_in_kazakh_russian_and_english(regions):
    kandas_data_load(by="test")
    versions = PolicyVersion.objects.filter(kind__in=(GRID_KIND, RULES_KIND))
    assert versions.count() == 6
    for version in versions:
        assert all(getattr(version, name) for name in WORDING), version.code
        assert version.title_kk != version.title_en and version.title_ru != version.title_en, version.code
    law = PolicyVersion.objects.get(code="rules-2026")
    assert "«Халықтың көші-қоны туралы» Қазақстан Республикасының" in law.legal_act_kk
    assert "Закон Республики Казахстан «О миграции населения»" in law.legal_act_ru
    assert "477-IV" in law.legal_act_kk and "477-IV" in law.legal_act_ru


def test_a_database_loaded_with_english_only_gets_the_translations_on_the_next_load(regions):
    kandas_data_load(by="test")
    # As the migration left a database loaded before the wording was trilingual: English, nothing else.
    PolicyVersion.objects.update(title_kk="", title_ru="", legal_act_kk="", legal_act_ru="")

    counts = kandas_data_load(by="test")

    assert (counts["versions_reworded"], counts["versions_created"], counts["versions_closed"]) == (6, 0, 0)
    with (DATA_DIR / "policy_versions.csv").open(encoding="utf-8") as handle:
        shipped = {row["code"]: row for row in csv.DictReader(handle)}
    for version in PolicyVersion.objects.filter(kind__in=(GRID_KIND, RULES_KIND)):
        assert {name: getattr(version, name) for name in WORDING} == {
            name: shipped[version.code][name] for name in WORDING}
    events = AuditEvent.objects.filter(action="core.policy_version.reword")
    assert events.count() == 6
    rules = events.get(object_id=str(PolicyVersion.objects.get(code="rules-2026").pk))
    assert rules.before["title_ru"] == "" and rules.after["title_ru"] == shipped["rules-2026"]["title_ru"]
    assert kandas_data_load(by="test")["versions_reworded"] == 0


def test_a_version_without_its_kazakh_title_in_the_file_is_refused_with_its_line(tmp_path):
    data = _copy_data(tmp_path)
    path = data / "policy_versions.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[2]["title_kk"] = ""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    with pytest.raises(KandasDataError) as error:
        kandas_data_read(data_dir=data)

    assert "policy_versions.csv line 4" in str(error.value) and "title_kk" in str(error.value)


def test_the_loader_refuses_regions_the_reference_data_lacks(reference):
    with pytest.raises(KandasDataError) as error:
        kandas_data_load(by="test")
    assert "KZ-61" in str(error.value)
    assert not QuotaPlan.objects.exists()


def test_the_management_command_loads_the_data(regions):
    out = StringIO()
    call_command("load_kandas", stdout=out)
    assert QuotaPlan.objects.filter(year=2026, category="settlers").exists()
    assert "policy_versions" in out.getvalue()


def test_a_regional_officer_may_not_load_the_quota_data(regions, officer):
    with pytest.raises(PermissionDenied):
        kandas_data_load(by=officer)
