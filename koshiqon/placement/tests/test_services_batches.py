"""Batches: made from the year's admitted families, solved within the quotas, beds and needs, overridden with a
reason (audited), approved by the holder of the approval right (audited), which opens the families' plans."""

from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from koshiqon.adaptation.models import Plan
from koshiqon.core.models import AuditEvent
from koshiqon.jobs.models import Job
from koshiqon.placement.models import BatchFamily, BatchStatus
from koshiqon.placement.services.batches import (
    batch_approve,
    batch_create,
    batch_discard,
    batch_family_needs_set,
    batch_family_override,
)
from koshiqon.placement.services.solve import batch_solve_start
from koshiqon.placement.tests.scene import ARRIVAL, TODAY, YEAR, make_quota


def create(national, **options):
    return batch_create(year=YEAR, arrival_date=ARRIVAL, by=national, today=TODAY, **options)


def family_of(batch, application) -> BatchFamily:
    return batch.families.select_related("proposed_region", "override_region").get(application=application)


def solve(batch, national, capture):
    with capture(execute=True):
        batch_solve_start(batch=batch, by=national)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PROPOSED, Job.objects.get(pk=batch.job_id).error
    return batch


@pytest.fixture
def proposed(batch_scene, national, django_capture_on_commit_callbacks):
    batch = create(national)
    batch_family_needs_set(family=family_of(batch, batch_scene["fragile"]), needs=["psychologist"], by=national)
    return solve(batch, national, django_capture_on_commit_callbacks)


def test_a_batch_holds_the_admitted_families_not_yet_placed(batch_scene, national):
    batch = create(national, name="December arrivals", preference_weight=0.2)
    assert batch.unit == "families" and batch.status == BatchStatus.DRAFT
    apps = set(batch.families.values_list("application_id", flat=True))
    assert batch_scene["waiting"].pk not in apps and len(apps) == 5
    engineers = family_of(batch, batch_scene["engineers"])
    assert engineers.size == 3 and engineers.preferred_region.code == "KZ-75"
    assert AuditEvent.objects.get(action="placement.batch.create").after["families"] == 5
    with pytest.raises(ValidationError) as exc:
        create(national)  # every admitted family is held by the first batch
    assert "year" in exc.value.message_dict


def test_a_batch_needs_the_years_quota_plan_and_a_national_officer(reference, national, officer):
    with pytest.raises(ValidationError) as exc:
        create(national)
    assert "year" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        create(officer)


def test_the_solved_batch_respects_each_regions_quota_and_each_familys_needs(proposed, batch_scene):
    families = list(proposed.families.select_related("proposed_region"))
    placed = Counter(f.proposed_region.code for f in families if f.proposed_region)
    assert placed["KZ-55"] <= 3 and placed["KZ-75"] <= 1 and placed["KZ-11"] <= 2
    assert sum(placed.values()) == 5  # room for all five
    fragile = family_of(proposed, batch_scene["fragile"])
    assert fragile.proposed_region.code == "KZ-11"  # the only region with a psychologist
    assert set(fragile.predictions) == {"KZ-11"} and fragile.alternatives == []
    engineers = family_of(proposed, batch_scene["engineers"])
    assert set(engineers.predictions) == {"KZ-11", "KZ-55", "KZ-75"}
    assert engineers.predicted == engineers.predictions[engineers.proposed_region.code]
    assert [a["region"] for a in engineers.alternatives] == sorted(
        (r for r in engineers.predictions if r != engineers.proposed_region.code),
        key=lambda r: -engineers.predictions[r])
    assert proposed.method and proposed.objective is not None and proposed.bound >= proposed.objective - 1e-6
    assert {c["region"]: c["families"] for c in proposed.capacities} == {"KZ-11": 2, "KZ-55": 3, "KZ-75": 1}
    assert proposed.summary["proposal"]["placed"] == 5


def test_a_family_whose_needs_no_region_gives_is_listed_with_the_reason(batch_scene, national,
                                                                      django_capture_on_commit_callbacks):
    batch = create(national)
    farmers = family_of(batch, batch_scene["farmers"])
    batch_family_needs_set(family=farmers, needs=["medical_referral"], by=national)
    solve(batch, national, django_capture_on_commit_callbacks)
    farmers.refresh_from_db()
    assert farmers.proposed_region is None and farmers.unplaced_reason == "needs"
    assert batch.summary["proposal"]["unplaced_by_reason"] == {"needs": 1, "capacity": 0}


def test_in_persons_with_the_centres_beds_a_region_takes_no_more_persons_than_it_has_free_beds(
        reference, active_model, national, django_capture_on_commit_callbacks):
    from koshiqon.placement.tests.scene import ENGINEERS, make_application, make_centre

    make_quota({"KZ-55": 100, "KZ-75": 100, "KZ-11": 3}, unit="persons")
    make_centre("KZ-55", beds=4)
    make_centre("KZ-11", beds=50)  # KZ-75 has no centre: with beds respected it takes nobody
    for i in range(4):
        make_application(region="KZ-75", members=ENGINEERS, last_name=f"Бекұлы{i}")
    batch = solve(create(national, respect_centre_beds=True), national, django_capture_on_commit_callbacks)
    caps = {c["region"]: c for c in batch.capacities}
    assert caps["KZ-55"]["persons"] == 4 and caps["KZ-75"]["persons"] == 0 and caps["KZ-11"]["persons"] == 3
    persons = Counter()
    for f in batch.families.select_related("proposed_region"):
        if f.proposed_region:
            persons[f.proposed_region.code] += f.size
    assert persons["KZ-55"] <= 4 and persons["KZ-75"] == 0 and persons["KZ-11"] <= 3
    assert batch.summary["proposal"]["unplaced"] == 4 - sum(persons.values()) // 3


def test_an_override_is_audited_with_the_region_before_and_after_and_the_reason(proposed, batch_scene, national):
    target = next(r for r in ("KZ-11", "KZ-55", "KZ-75") if _room(proposed, r))  # the one place to spare
    engineers = next(f for f in proposed.families.select_related("proposed_region")
                     if not f.needs and f.proposed_region.code != target)
    before = engineers.proposed_region.code
    batch_family_override(family=engineers, region=target, reason="Relatives there offer housing", by=national)
    engineers.refresh_from_db()
    assert engineers.final_region.code == target and engineers.override_reason == "Relatives there offer housing"
    assert engineers.overridden_by == national
    event = AuditEvent.objects.get(action="placement.batch_family.override")
    assert event.before["region"] == before and event.after["region"] == target
    assert event.after["predicted"] == engineers.predictions[target]
    assert event.reason == "Relatives there offer housing" and event.actor == national


def _room(batch, region):
    from koshiqon.placement.services.batches import fits, room_left

    return fits(room_left(batch, region), 3)


def test_an_override_to_a_region_without_the_needed_service_or_room_or_reason_is_refused(proposed, batch_scene,
                                                                                         national):
    fragile = family_of(proposed, batch_scene["fragile"])
    with pytest.raises(ValidationError) as exc:
        batch_family_override(family=fragile, region="KZ-55", reason="Closer to the hospital", by=national)
    assert "region" in exc.value.message_dict
    engineers = family_of(proposed, batch_scene["engineers"])
    with pytest.raises(ValidationError) as exc:
        batch_family_override(family=engineers, region="KZ-55", reason="", by=national)
    assert "reason" in exc.value.message_dict
    full = [r for r in ("KZ-11", "KZ-55", "KZ-75") if not _room(proposed, r)
            and r != engineers.proposed_region.code]
    assert full, "five families leave one place: two regions are full"
    with pytest.raises(ValidationError) as exc:
        batch_family_override(family=engineers, region=full[0], reason="Wants the city", by=national)
    assert "room" in exc.value.message_dict["region"][0]
    assert not AuditEvent.objects.filter(action="placement.batch_family.override").exists()


def test_only_the_holder_of_the_approval_right_approves_and_the_approval_is_audited(proposed, national, officer):
    with pytest.raises(PermissionDenied):
        batch_approve(batch=proposed, by=officer)
    with pytest.raises(PermissionDenied):
        batch_family_override(family=proposed.families.first(), region="KZ-55", reason="x", by=officer)

    batch_approve(batch=proposed, by=national, reason="Commission minutes No. 7", today=TODAY)
    proposed.refresh_from_db()
    assert proposed.status == BatchStatus.APPROVED and proposed.approved_by == national
    event = AuditEvent.objects.get(action="placement.batch.approve")
    assert event.after["placed"] == 5 and event.reason == "Commission minutes No. 7"
    assert AuditEvent.objects.filter(action="placement.batch_family.place").count() == 5
    # Each family gets its plan at a centre of the region it is placed in, whatever region it preferred.
    plans = proposed.summary["approved"]["plans"]
    assert plans["opened"] == 5 and plans["refused"] == []
    assert Plan.objects.filter(application__in=[f.application_id for f in proposed.families.all()]).count() == \
        plans["opened"]
    with pytest.raises(ValidationError):
        batch_approve(batch=proposed, by=national)


def test_an_approved_batch_takes_its_places_out_of_the_next_batchs_room(proposed, batch_scene, national,
                                                                       django_capture_on_commit_callbacks):
    from koshiqon.placement.tests.scene import make_application

    batch_approve(batch=proposed, by=national, today=TODAY)
    late = make_application(region="KZ-55", last_name="Кешікқан")
    second = solve(create(national), national, django_capture_on_commit_callbacks)
    assert list(second.families.values_list("application_id", flat=True)) == [late.pk]
    assert sum(c["families"] for c in second.capacities) == 1  # the place the first batch left
    assert second.summary["proposal"]["placed"] == 1


def test_changing_a_needs_of_a_proposed_batch_sends_it_back_to_draft(proposed, batch_scene, national):
    engineers = family_of(proposed, batch_scene["engineers"])
    batch_family_needs_set(family=engineers, needs=["psychologist"], by=national)
    proposed.refresh_from_db()
    engineers.refresh_from_db()
    assert proposed.status == BatchStatus.DRAFT and engineers.proposed_region is None
    assert AuditEvent.objects.filter(action="placement.batch.reopen").exists()
    with pytest.raises(ValidationError):
        batch_family_needs_set(family=engineers, needs=["flying_lessons"], by=national)


def test_a_discarded_batch_frees_its_families(proposed, national):
    with pytest.raises(ValidationError):
        batch_discard(batch=proposed, by=national, reason="")
    batch_discard(batch=proposed, by=national, reason="Arrival moved to spring")
    again = create(national)
    assert again.families.count() == 5


def test_solving_needs_a_model_in_use(batch_scene, national, active_model):
    batch = create(national)
    active_model.active = False
    active_model.save()
    with pytest.raises(ValidationError):
        batch_solve_start(batch=batch, by=national)
