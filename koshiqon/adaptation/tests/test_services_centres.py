"""Centres: national officers open and change them, set their services with the places of each course, and
their staff; the catalogue loads from its data file."""

from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from koshiqon.adaptation.models import Centre, Service
from koshiqon.adaptation.services.catalogue import CatalogueError, adaptation_catalogue_load, catalogue_read
from koshiqon.adaptation.services.centres import (
    centre_create,
    centre_services_set,
    centre_staff_set,
    centre_update,
)
from koshiqon.core.models import AuditEvent
from koshiqon.reference.models import Region

pytestmark = pytest.mark.django_db


def test_the_shipped_catalogue_names_every_service_in_three_languages():
    entries = catalogue_read()
    assert len(entries) >= 20
    codes = {e.code for e in entries}
    assert {"information", "translation", "state_language", "history_culture", "law_basics", "vocational_training",
            "legal_status", "psychologist", "employment_help", "temporary_housing", "medical_referral",
            "small_business"} <= codes
    assert all(e.name_kk and e.name_ru and e.name_en for e in entries)


def test_the_catalogue_loads_once_and_retires_what_the_file_drops(tmp_path: Path, reference, national):
    first = adaptation_catalogue_load(by=national)
    assert first["created"] == Service.objects.count() and first["services"] == first["created"]
    assert adaptation_catalogue_load(by=national) | {"services": 0} == {"created": 0, "updated": 0, "retired": 0,
                                                                         "services": 0}
    (tmp_path / "services.csv").write_text(
        "code,group,name_kk,name_ru,name_en,due_days,is_course\n"
        "information,information,Ақпарат,Информация,Information,2,0\n", encoding="utf-8")
    counts = adaptation_catalogue_load(by=national, data_dir=tmp_path)
    assert counts["updated"] == 1 and counts["retired"] == first["created"] - 1 and counts["services"] == 1
    assert AuditEvent.objects.filter(action="adaptation.catalogue.load").count() == 2


def test_a_bad_catalogue_file_loads_nothing_and_names_each_bad_row(tmp_path: Path, reference):
    (tmp_path / "services.csv").write_text(
        "code,group,name_kk,name_ru,name_en,due_days,is_course\n"
        "Bad Code,magic,,Имя,Name,-1,2\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        adaptation_catalogue_load(by="test", data_dir=tmp_path)
    assert all(p.startswith("services.csv line 2: ") for p in caught.value.problems)
    assert len(caught.value.problems) == 5 and not Service.objects.exists()


def test_a_national_officer_opens_a_centre_with_services_and_staff(reference, national, centre_staff):
    adaptation_catalogue_load(by="test")
    centre = centre_create(name="Ақмола орталығы", region=Region.objects.get(code="KZ-11"), address="Көкшетау",
                           beds=20, opened_on=date(2016, 9, 1), by=national)
    centre_services_set(centre=centre, offers={"state_language": 25, "psychologist": None}, by=national)
    centre_staff_set(centre=centre, users=[centre_staff], by=national)
    assert dict(centre.offers.values_list("service__code", "places")) == {"state_language": 25, "psychologist": None}
    assert list(centre.staff.all()) == [centre_staff]
    actions = list(AuditEvent.objects.filter(object_type="adaptation.centre").values_list("action", flat=True))
    assert actions == ["adaptation.centre.create", "adaptation.centre.services", "adaptation.centre.staff"]


def test_a_centre_is_checked_before_it_is_saved(reference, national, officer):
    adaptation_catalogue_load(by="test")
    with pytest.raises(ValidationError) as caught:
        centre_create(name=" ", region=None, address="", beds=-1, opened_on=date(2020, 1, 1),
                      closed_on=date(2019, 1, 1), max_stay_days=0, by=national)
    assert set(caught.value.message_dict) == {"name", "region", "address", "beds", "closed_on", "max_stay_days"}
    centre = centre_create(name="Орталық", region=Region.objects.get(code="KZ-55"), address="Павлодар", beds=5,
                           opened_on=date(2020, 1, 1), by=national)
    with pytest.raises(ValidationError) as caught:
        centre_services_set(centre=centre, offers={"psychologist": 3, "flying": None}, by=national)
    assert len(caught.value.message_dict["offers"]) == 2
    with pytest.raises(ValidationError) as caught:
        centre_staff_set(centre=centre, users=[officer], by=national)
    assert "officer55" in caught.value.message_dict["staff"][0]


def test_only_national_officers_manage_centres(centre, officer, centre_staff):
    for user in (officer, centre_staff):
        with pytest.raises(PermissionDenied):
            centre_update(centre=centre, beds=50, by=user)
    assert Centre.objects.get(pk=centre.pk).beds == 20
