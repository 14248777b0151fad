"""The placement outcome model: it learns the ground truth's signal, says how well on held-out families, and
stores and reads back exactly."""

import io
import json
from datetime import UTC, date, datetime

import numpy as np
import pytest

from koshiqon.placement.domain.features import (
    FactsError,
    FamilyFacts,
    MemberFacts,
    Outcome,
    in_holdout,
    labelled,
    member_table,
)
from koshiqon.placement.domain.model_card import ModelCard
from koshiqon.placement.domain.outcome_model import (
    MAGIC,
    ModelFormatError,
    OutcomeModel,
    TrainingError,
    train,
)
from koshiqon.placement.domain.truth import current_region_codes, generate_history, true_member_probabilities

REGIONS = current_region_codes(date(2026, 1, 1))
FAST_TREES = ("boosting", {"learning_rate": 0.2, "max_iter": 60, "max_leaf_nodes": 15, "min_samples_leaf": 40})
NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def history():
    return generate_history(3000, REGIONS, seed=11)


@pytest.fixture(scope="module")
def model(history):
    return train(
        history.families, history.outcomes, seed=4, regions=REGIONS, reference=true_member_probabilities,
        candidates=(("logistic", {"C": 0.1}), FAST_TREES), now=NOW,
    )


@pytest.fixture(scope="module")
def trees(history):
    return train(history.families, history.outcomes, seed=4, kind="boosting", candidates=(FAST_TREES,), now=NOW)


def test_the_model_learns_the_truths_signal_on_held_out_families(model):
    card = model.card
    assert card.test.auc >= 0.6
    assert card.test.auc >= card.reference_auc - 0.05
    assert abs(card.test.mean_predicted - card.test.base_rate) < 0.05


def test_auto_chooses_the_candidate_with_the_lowest_validation_log_loss(model):
    candidates = model.card.candidates
    assert [c.kind for c in candidates] == ["logistic", "boosting"]
    chosen = [c for c in candidates if c.chosen]
    assert len(chosen) == 1
    assert chosen[0].log_loss == min(c.log_loss for c in candidates)
    assert model.kind == chosen[0].kind == model.card.kind


def test_calibration_bins_count_every_held_out_member_once(model):
    card = model.card
    assert sum(b.count for b in card.calibration) == card.test_members
    assert all(b.lower <= b.mean_predicted <= b.upper and 0 <= b.observed_rate <= 1 for b in card.calibration)


def test_the_region_table_covers_every_region_with_held_out_members(model, history):
    card = model.card
    held_out = {history.regions[i] for i in model.held_out}
    assert {r.region for r in card.regions} == held_out
    assert sum(r.members for r in card.regions) == card.test_members
    assert sum(r.families for r in card.regions) == card.test_families
    assert sum(r.train_members for r in card.regions) <= card.train_members
    assert all(0 <= r.brier <= 1 for r in card.regions)


def test_held_out_families_are_kept_out_of_training(model, history):
    card = model.card
    followed = {o.family_id for o in history.outcomes}  # families with a working-age member
    assert card.train_families + card.test_families == card.families == len(followed)
    assert card.train_members + card.test_members == card.members == len(history.outcomes)
    assert set(model.held_out) == {i for i in followed if in_holdout(i, seed=4, share=0.2)}


def test_the_hold_out_does_not_depend_on_the_order_of_the_families(history):
    ids = [f.id for f in history.families]
    forward = [i for i in ids if in_holdout(i, seed=4, share=0.2)]
    backward = [i for i in reversed(ids) if in_holdout(i, seed=4, share=0.2)]
    assert sorted(forward) == sorted(backward)
    assert 0.15 < len(forward) / len(ids) < 0.25


def test_the_card_lists_features_libraries_hyperparameters_and_limitations(model):
    card = model.card
    assert {name for name, _text in card.features} >= {"region", "age", "education", "occupation", "kazakh"}
    assert all(text.kk and text.ru and text.en for _name, text in card.features)
    assert card.libraries["scikit-learn"] and card.libraries["numpy"]
    assert card.hyperparameters["kind"] == card.kind
    assert card.trained_at == "2026-03-01T09:00:00+00:00"
    assert card.working_age == (16, 63) and card.target == "employed_12m"
    assert len(card.limitations) >= 5


def test_the_card_survives_a_json_round_trip(model):
    data = json.loads(json.dumps(model.card.to_dict(), allow_nan=False))
    assert ModelCard.from_dict(data) == model.card


@pytest.mark.parametrize("which", ["model", "trees"])
def test_a_stored_model_reads_back_with_identical_predictions(which, request, history):
    original = request.getfixturevalue(which)
    families = history.families[:200]
    copy = OutcomeModel.from_bytes(original.to_bytes())
    assert np.array_equal(copy.predict_matrix(families, REGIONS), original.predict_matrix(families, REGIONS))
    assert copy.card == original.card
    assert copy.held_out == original.held_out


def _rewrite_meta(data: bytes, change) -> bytes:
    stored = np.load(io.BytesIO(data[len(MAGIC):]), allow_pickle=False)
    arrays = {k: stored[k] for k in stored.files}
    meta = json.loads(bytes(arrays["meta"]).decode())
    change(meta)
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    out = io.BytesIO()
    out.write(MAGIC)
    np.savez(out, **arrays)
    return out.getvalue()


def test_bytes_of_another_format_version_are_refused(model):
    with pytest.raises(ModelFormatError, match="format"):
        OutcomeModel.from_bytes(_rewrite_meta(model.to_bytes(), lambda m: m.update(format=99)))
    with pytest.raises(ModelFormatError):
        OutcomeModel.from_bytes(b"something else")


def test_trees_pickled_by_another_scikit_learn_version_are_refused(trees):
    data = _rewrite_meta(trees.to_bytes(), lambda m: m["libraries"].update({"scikit-learn": "0.1"}))
    with pytest.raises(ModelFormatError, match="scikit-learn"):
        OutcomeModel.from_bytes(data)


@pytest.mark.parametrize("which", ["model", "trees"])
def test_the_matrix_holds_each_familys_expected_employed_members_in_each_region(which, request, history):
    fitted = request.getfixturevalue(which)
    families = history.families[:300]
    prediction = fitted.predict(families, REGIONS)
    working = member_table(families).working_per_family
    assert prediction.expected.shape == (300, 20)
    assert np.all(prediction.expected >= 0) and np.all(prediction.expected <= working[:, None])
    has = working > 0
    assert np.allclose(prediction.mean[has] * working[has, None], prediction.expected[has])
    assert np.all(prediction.mean[~has] == 0)
    # The matrix and the per-member prediction at the family's own region agree.
    own = [history.regions[f.id] for f in families]
    table = member_table(families)
    per_family = np.bincount(table.family_index, weights=fitted.predict_members(families, own), minlength=300)
    columns = [REGIONS.index(r) for r in own]
    assert np.allclose(per_family, prediction.expected[np.arange(300), columns])


def test_training_twice_with_the_same_seed_gives_the_same_model(history):
    first, second = (
        train(history.families, history.outcomes, seed=2, kind="logistic", candidates=(("logistic", {"C": 0.1}),))
        for _ in range(2)
    )
    families = history.families[:100]
    assert np.array_equal(first.predict_matrix(families, REGIONS), second.predict_matrix(families, REGIONS))
    assert first.held_out == second.held_out


def test_a_region_without_history_is_predicted_as_an_average_region_and_listed(history):
    without = [r for r in REGIONS if r != "KZ-62"]
    partial = generate_history(1500, without, seed=3)
    fitted = train(partial.families, partial.outcomes, seed=1, regions=REGIONS, kind="logistic",
                   candidates=(("logistic", {"C": 0.1}),))
    assert fitted.card.regions_without_history == ("KZ-62",)
    matrix = fitted.predict_matrix(history.families[:50], REGIONS)
    assert np.all(np.isfinite(matrix))


def test_too_few_outcomes_cannot_train_a_model(history):
    with pytest.raises(TrainingError):
        train(history.families[:10], history.outcomes[:15])


def _family(**member) -> FamilyFacts:
    return FamilyFacts(id="A1", origin="CN", size=2,
                       members=(MemberFacts(age=30, sex="M"), MemberFacts(age=28, sex="F", **member)))


@pytest.mark.parametrize("member, words", [
    ({"kazakh": "excellent"}, "Kazakh"),
    ({"education": "9"}, "ISCED"),
    ({"occupation": "x1"}, "ISCO"),
    ({"experience_years": -1}, "experience"),
])
def test_facts_the_model_cannot_read_are_refused_naming_family_member_and_field(member, words):
    with pytest.raises(FactsError, match=f"family A1 member 1: .*{words}"):
        member_table([_family(**member)])


def test_members_without_a_recorded_12_month_outcome_are_left_out_not_counted_as_unemployed():
    family = _family()
    outcomes = [
        Outcome(family_id="A1", member_index=0, region="KZ-55", employed_12m=True, stayed_12m=False),
        Outcome(family_id="A1", member_index=1, region="KZ-55", employed_6m=False, employed_12m=None),
    ]
    data = labelled([family], outcomes)
    assert data.table.n == 1 and list(data.label) == [True]
    stayed = labelled([family], outcomes, target="employed_12m_in_region")
    assert list(stayed.label) == [False]  # employed, but left the region


def test_children_and_pensioners_are_not_scored():
    family = FamilyFacts(id="B", origin="UZ", size=3, members=(
        MemberFacts(age=15, sex="F"), MemberFacts(age=40, sex="M"), MemberFacts(age=63, sex="M"),
    ))
    table = member_table([family])
    assert list(table.member_index) == [1]
    assert (table.children[0], table.pensioners[0], table.working[0]) == (1, 1, 1)


def test_a_single_candidate_is_trained_on_all_training_families_without_a_contest(trees):
    assert trees.kind == trees.card.kind == "boosting"
    assert trees.card.candidates == ()
    assert trees.card.test.auc >= 0.6
