"""The placement demo and the archive import command."""

import pytest
from django.core.management import call_command

from koshiqon.core.models import AuditEvent
from koshiqon.placement.demo import placement_demo
from koshiqon.placement.models import HistorySource, PastArrival, PlacementBatch


def test_the_demo_makes_the_history_and_a_draft_batch_of_the_admitted_families_once(batch_scene, national):
    made = placement_demo(seed=2, families=200)
    assert made["history"]["created"] == 200 and made["model"] == "a model is already in use"
    batch = PlacementBatch.objects.get()
    assert made["batch"]["id"] == batch.pk and batch.status == "draft" and batch.families.count() == 5
    # Only needs that some region's centre gives are marked (here the psychologist of Akmola).
    assert {code for f in batch.families.all() for code in f.needs} <= {"psychologist"}
    again = placement_demo(seed=2, families=200)
    assert again["history"]["created"] == 0 and again["batch"] == "a demo batch exists"
    assert PastArrival.objects.filter(source=HistorySource.DEMO).count() == 200
    assert AuditEvent.objects.filter(action="placement.history.demo").count() == 1


def test_the_import_command_prints_every_bad_row_and_exits_with_an_error(national, tmp_path, capsys):
    path = tmp_path / "archive.csv"
    path.write_text("family,year,origin,region,age,sex\nA-1,2023,CN,KZ-55,40,M\nA-2,1850,CN,KZ-55,40,M\n")
    with pytest.raises(SystemExit) as exc:
        call_command("placement_history_import", str(path), "--user", "national", "--no-progress")
    assert exc.value.code == 1
    assert "line 3 [year]" in capsys.readouterr().err
    assert not PastArrival.objects.exists()
    path.write_text("family,year,origin,region,age,sex\nA-1,2023,CN,KZ-55,40,M\n")
    call_command("placement_history_import", str(path), "--user", "national", "--no-progress")
    assert PastArrival.objects.get().key == "A-1"
