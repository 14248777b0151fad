"""Training the outcome model on the history: the card, the backtest on the held-out families (with the truth
on demo data), the switch of the model in use, all audited and for national officers only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from koshiqon.core.models import AuditEvent
from koshiqon.jobs.models import Job
from koshiqon.placement.domain.outcome_model import OutcomeModel as Model
from koshiqon.placement.models import OutcomeModel
from koshiqon.placement.services.training import model_activate, model_train, model_train_start
from koshiqon.placement.tests.scene import TODAY


@pytest.fixture
def trained(demo_history, national):
    return model_train(by=national, seed=0, today=TODAY)


def test_training_on_the_demo_history_stores_a_card_with_an_auc_above_0_6(trained):
    card = trained.card
    assert trained.active and trained.auc is not None and trained.auc > 0.6
    assert card["test"]["auc"] == trained.auc and card["reference_auc"] > 0.6  # the truth's own AUC beside it
    assert card["train_families"] + card["test_families"] == card["families"] == trained.families
    assert sum(b["count"] for b in card["calibration"]) == card["test_members"]
    assert {r["region"] for r in card["regions"]} <= {"KZ-11", "KZ-55", "KZ-75"}
    assert card["history"]["by_source"] == {"demo": 600} and card["history"]["with_truth"] == 600
    assert card["features"] and card["limitations"] and card["libraries"]["scikit-learn"]
    model = Model.from_bytes(bytes(trained.blob))
    assert model.predict_matrix([], ["KZ-55"]).shape == (0, 1)


def test_the_backtest_on_demo_data_puts_the_optimised_arm_ahead_and_scores_it_under_the_truth(trained):
    backtest = trained.backtest
    arms = {a["name"]: a for a in backtest["arms"]}
    assert set(arms) == {"actual", "optimised", "proportional", "random", "oracle"}
    assert arms["optimised"]["predicted"] >= arms["proportional"]["predicted"]
    assert arms["optimised"]["predicted"] >= arms["random"]["predicted"]
    assert arms["optimised"]["predicted"] >= arms["actual"]["predicted"]
    # Under the truth: every arm is scored, and no arm beats the oracle.
    assert all(a["true"] is not None for a in arms.values())
    assert all(a["true"] <= arms["oracle"]["true"] + 1e-9 for a in arms.values())
    assert backtest["oracle_share"] is not None and backtest["oracle_share"] > 0
    assert backtest["truth_version"] and backtest["families"] == trained.card["test_families"]
    assert {s["name"] for s in backtest["chart"]["series"]} == {"predicted", "true"}


def test_training_is_audited_and_the_new_model_takes_the_place_of_the_one_in_use(trained, national):
    second = model_train(by=national, seed=1, today=TODAY)
    trained.refresh_from_db()
    assert second.active and not trained.active
    assert OutcomeModel.objects.filter(active=True).count() == 1
    event = AuditEvent.objects.filter(action="placement.model.train", object_id=str(second.pk)).get()
    assert event.after["families"] == second.families and event.after["auc"] == second.auc
    switch = AuditEvent.objects.get(action="placement.model.activate", object_id=str(second.pk))
    assert switch.before == {"active_model": trained.pk} and switch.after == {"active_model": second.pk}


def test_an_earlier_model_is_put_back_in_use_with_a_reason(trained, national):
    second = model_train(by=national, seed=1, today=TODAY)
    with pytest.raises(ValidationError) as exc:
        model_activate(model=trained, by=national, reason=" ")
    assert "reason" in exc.value.message_dict
    model_activate(model=trained, by=national, reason="The new one overrates Almaty")
    trained.refresh_from_db()
    second.refresh_from_db()
    assert trained.active and not second.active
    assert AuditEvent.objects.filter(action="placement.model.activate", object_id=str(trained.pk),
                                     reason="The new one overrates Almaty").exists()


def test_training_runs_as_a_job_that_records_the_model(demo_history, national, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = model_train_start(by=national, kind="logistic")
    job = Job.objects.get(pk=job.pk)
    assert job.status == "succeeded", job.error
    model = OutcomeModel.objects.get(pk=job.result["model"])
    assert model.job_id == job.pk and model.card["kind"] == "logistic" and job.done == job.total


def test_a_regional_officer_may_not_train_and_an_empty_history_trains_nothing(reference, officer, national):
    with pytest.raises(PermissionDenied):
        model_train_start(by=officer)
    with pytest.raises(ValidationError):
        model_train_start(by=national)
