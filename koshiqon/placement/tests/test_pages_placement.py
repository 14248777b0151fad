"""The placement pages, in Kazakh by default: home, model card, history with its import, batches with the
proposal, a family's page, override and approval; scope (404) and rights (403); reads of names logged."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from koshiqon.core.models import AccessEvent, AuditEvent
from koshiqon.jobs.models import Job
from koshiqon.placement.models import BatchFamily, BatchStatus, PlacementBatch
from koshiqon.placement.services.batches import batch_create, batch_family_needs_set
from koshiqon.placement.services.solve import batch_solve_start
from koshiqon.placement.services.training import model_train
from koshiqon.placement.tests.scene import ARRIVAL, TODAY, YEAR


def signed_in(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def proposed(batch_scene, national, django_capture_on_commit_callbacks):
    batch = batch_create(year=YEAR, arrival_date=ARRIVAL, by=national, today=TODAY)
    fragile = batch.families.get(application=batch_scene["fragile"])
    batch_family_needs_set(family=fragile, needs=["psychologist"], by=national)
    with django_capture_on_commit_callbacks(execute=True):
        batch_solve_start(batch=batch, by=national)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PROPOSED
    return batch


def test_the_home_page_in_kazakh_shows_the_model_in_use_and_what_a_national_officer_may_start(
        client, national, active_model):
    page = signed_in(client, national).get(reverse("placement:home"))
    html = page.content.decode()
    assert page.status_code == 200 and '<html lang="kk">' in html
    assert reverse("placement:model_card", args=[active_model.pk]) in html
    assert reverse("placement:train") in html and reverse("placement:batch_new") in html
    assert reverse("placement:home") in html  # the menu entry


def test_a_regional_officer_reads_placement_but_is_offered_nothing_to_start(client, officer, active_model):
    html = signed_in(client, officer).get(reverse("placement:home")).content.decode()
    assert reverse("placement:train") not in html and reverse("placement:batch_new") not in html
    assert signed_in(client, officer).post(reverse("placement:train"), {"kind": "auto", "seed": 0}).status_code == 403


@pytest.mark.parametrize("role", ["analyst", "centre_staff", "administrator"])
def test_roles_without_the_right_to_view_placement_are_refused(client, request, role):
    user = request.getfixturevalue(role)
    assert signed_in(client, user).get(reverse("placement:home")).status_code == 403


def test_the_model_card_shows_the_auc_calibration_regions_and_the_backtest_under_the_truth(
        client, national, demo_history):
    model = model_train(by=national, today=TODAY)
    page = signed_in(client, national).get(reverse("placement:model_card", args=[model.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="auc"' in html and "calibration__point" in html and "calibration__diagonal" in html
    assert "Павлодар облысы" in html  # the per-region table names the regions in Kazakh
    assert "Келген кездегі жасы" in html  # the features in plain Kazakh words, from the card
    assert 'id="oracle-share"' in html and 'id="uplift"' in html
    assert "scikit-learn" in html


def test_the_history_page_imports_a_file_as_a_job_that_reports_every_bad_row(
        client, national, reference, django_capture_on_commit_callbacks):
    client = signed_in(client, national)
    assert client.get(reverse("placement:history")).status_code == 200
    data = (b"family,year,origin,region,age,sex\nA-1,2023,CN,KZ-55,40,M\nA-2,2023,CN,KZ-55,40,Q\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("placement:history_import"),
                               {"file": SimpleUploadedFile("archive.csv", data, content_type="text/csv")})
    job = Job.objects.get(kind="placement.history_import")
    assert response.status_code == 302 and response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    assert job.status == "succeeded" and not job.result["saved"]
    assert job.result["errors"] == [[3, "sex", job.result["errors"][0][2]]]
    report = client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    assert "sex" in report


def test_the_proposal_page_lists_the_families_with_regions_predictions_and_room(client, national, proposed):
    page = signed_in(client, national).get(reverse("placement:batch_detail", args=[proposed.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('id="family-') == 5
    assert "Омаров" in html  # heads' names are shown...
    heads = set(BatchFamily.objects.filter(batch=proposed).values_list("application__head_id", flat=True))
    logged = set(AccessEvent.objects.filter(user=national, object_type="people.person")
                 .values_list("object_id", flat=True))
    assert {str(h) for h in heads} <= logged  # ...and each read is logged
    assert 'id="override-form"' in html and 'id="approve"' in html


def test_an_override_through_the_page_is_audited_and_a_refused_one_says_why(client, national, proposed, batch_scene):
    client = signed_in(client, national)
    url = reverse("placement:batch_override", args=[proposed.pk])
    fragile = proposed.families.get(application=batch_scene["fragile"])
    refused = client.post(url, {"override-family": fragile.pk, "override-region": "KZ-75",
                                "override-reason": "Closer to the hospital"}, follow=True)
    assert refused.status_code == 200 and 'class="messages"' in refused.content.decode()
    assert not AuditEvent.objects.filter(action="placement.batch_family.override").exists()

    spare = next(c["region"] for c in proposed.capacities if c["families"] > sum(
        1 for f in proposed.families.select_related("proposed_region") if f.proposed_region.code == c["region"]))
    mover = next(f for f in proposed.families.select_related("proposed_region")
                 if not f.needs and f.proposed_region.code != spare)
    done = client.post(url, {"override-family": mover.pk, "override-region": spare,
                             "override-reason": "Relatives offer housing"}, follow=True)
    assert done.status_code == 200
    mover.refresh_from_db()
    assert mover.override_region.code == spare
    event = AuditEvent.objects.get(action="placement.batch_family.override")
    assert event.after["region"] == spare and event.reason == "Relatives offer housing"


def test_a_regional_officer_sees_only_the_families_of_their_regions_and_404_for_the_others(
        client, officer, proposed, batch_scene):
    client = signed_in(client, officer)
    html = client.get(reverse("placement:batch_detail", args=[proposed.pk])).content.decode()
    families = proposed.families.select_related("proposed_region", "preferred_region")
    mine = [f for f in families if "KZ-55" in (f.preferred_region.code, f.proposed_region.code)]
    others = [f for f in families if f not in mine]
    assert html.count('id="family-') == len(mine) and others
    assert client.get(reverse("placement:family_detail", args=[proposed.pk, mine[0].pk])).status_code == 200
    assert client.get(reverse("placement:family_detail", args=[proposed.pk, others[0].pk])).status_code == 404
    assert 'id="override-form"' not in html and 'id="approve"' not in html
    assert client.post(reverse("placement:batch_approve", args=[proposed.pk]), {}).status_code == 403


def test_a_national_officer_approves_through_the_page(client, national, proposed):
    client = signed_in(client, national)
    response = client.post(reverse("placement:batch_approve", args=[proposed.pk]),
                           {"approve-reason": "Minutes No. 4"}, follow=True)
    assert response.status_code == 200 and 'id="approved"' in response.content.decode()
    assert PlacementBatch.objects.get(pk=proposed.pk).status == BatchStatus.APPROVED
    assert AuditEvent.objects.get(action="placement.batch.approve").reason == "Minutes No. 4"


def test_a_family_page_shows_its_members_and_logs_their_reads(client, national, proposed, batch_scene):
    family = proposed.families.get(application=batch_scene["farmers"])
    page = signed_in(client, national).get(reverse("placement:family_detail", args=[proposed.pk, family.pk]))
    assert page.status_code == 200 and "Жақсыбеков" in page.content.decode()
    members = set(family.application.members.values_list("person_id", flat=True))
    logged = set(AccessEvent.objects.filter(user=national).values_list("object_id", flat=True))
    assert {str(m) for m in members} <= logged


def test_a_batch_is_made_through_the_page_and_a_bad_date_is_shown_by_its_field(client, national, batch_scene):
    client = signed_in(client, national)
    bad = client.post(reverse("placement:batch_new"), {"year": YEAR, "arrival_date": "2020-01-01",
                                                       "preference_weight": "0.1"})
    assert bad.status_code == 422 and "arrival_date_errors" in bad.content.decode()
    good = client.post(reverse("placement:batch_new"), {"year": YEAR, "arrival_date": "2026-12-01",
                                                        "preference_weight": "0.1"})
    batch = PlacementBatch.objects.get()
    assert good.status_code == 302 and good["Location"] == reverse("placement:batch_detail", args=[batch.pk])


def test_the_job_pages_of_a_solve_and_a_training_lead_to_the_proposal_and_the_model_card(
        client, national, proposed, demo_history, django_capture_on_commit_callbacks):
    from koshiqon.placement.services.training import model_train_start

    client = signed_in(client, national)
    page = client.get(reverse("jobs:job_detail", args=[proposed.job_id])).content.decode()
    assert reverse("placement:batch_detail", args=[proposed.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        job = model_train_start(by=national, kind="logistic")
    job.refresh_from_db()
    page = client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    assert reverse("placement:model_card", args=[job.result["model"]]) in page
