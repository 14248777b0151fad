"""The placement outcome model: the probability that a working-age member of a kandas family is employed 12
months after the family settles in a region, learnt from past families' outcomes.

A member-level classifier, because employment is recorded per member and depends on each member's own
education, occupation, experience, languages, age and sex; the family's origin and composition ride along
on every member. A family's score in a region is the expected number of its working-age members employed at
12 months, the sum of their probabilities (true whatever the correlation between members), and their mean.

Two kinds are tried (ADR 0012): a logistic regression with region x characteristic interactions and a
histogram gradient-boosting classifier. The training families are split once more to choose between them on
log loss (the probabilities are summed, so their level matters, not only their order); the chosen kind is
refit on all training families and judged on the held-out families, which no choice has looked at.
"""

import io
import json
import pickle  # noqa: S403 - only for the boosting estimator, read back from our own database
import platform
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import numpy as np
import scipy
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from koshiqon.placement.domain import design
from koshiqon.placement.domain.design import LogisticWeights, Vocabulary
from koshiqon.placement.domain.features import (
    TARGETS,
    BoolArray,
    FamilyFacts,
    FloatArray,
    MemberTable,
    Outcome,
    WorkingAge,
    in_holdout,
    labelled,
    member_table,
    sum_by_family,
    take,
)
from koshiqon.placement.domain.model_card import (
    Candidate,
    ModelCard,
    calibration,
    family_mae,
    region_errors,
    scores,
)

FORMAT_VERSION = 1
MAGIC = b"KOSHIQON-PLACEMENT-MODEL\n"
MIN_ORIGIN_MEMBERS = 30
CHUNK_ROWS = 400_000  # boosting prediction: rows per call, to bound memory
# The trees run on one OpenMP thread: on a shared machine two spinning threads made training 70 times slower
# (measured), and parallelism belongs to the task workers, not inside one job.
TREE_THREADS = 1
CANDIDATES: tuple[tuple[str, dict[str, Any]], ...] = (
    ("logistic", {"C": 0.03}),
    ("logistic", {"C": 0.1}),
    ("logistic", {"C": 0.3}),
    ("boosting", {"learning_rate": 0.15, "max_iter": 300, "max_leaf_nodes": 15, "min_samples_leaf": 40,
                  "l2_regularization": 1.0}),
)
Reference = Callable[[Sequence[FamilyFacts], Sequence[str]], FloatArray]


class TrainingError(ValueError):
    """The outcomes cannot train a model (too few, or all of one kind)."""


class ModelFormatError(ValueError):
    """Stored model bytes were written by another format or library version: train the model again."""


def _sigmoid(x: FloatArray) -> FloatArray:
    out: FloatArray = 1.0 / (1.0 + np.exp(-x))
    return out


@dataclass(frozen=True)
class Prediction:
    """Families x regions: expected working-age members employed at 12 months, and their mean probability
    (0 for a family without working-age members)."""

    expected: FloatArray
    mean: FloatArray


class OutcomeModel:
    """A trained model with its card. Build with `train` or `OutcomeModel.from_bytes`."""

    def __init__(
        self, *, kind: str, vocab: Vocabulary, working_age: WorkingAge, target: str, card: ModelCard | None,
        held_out: tuple[str, ...], weights: LogisticWeights | None = None,
        estimator: HistGradientBoostingClassifier | None = None,
    ):
        if (weights is None) == (estimator is None):
            raise ValueError("a model has either logistic weights or a boosting estimator")
        self.kind, self.vocab, self.working_age, self.target = kind, vocab, working_age, target
        self.card, self.held_out = card, held_out
        self.weights, self.estimator = weights, estimator

    # Prediction -------------------------------------------------------------------------------------

    def member_probabilities(self, table: MemberTable, regions: Sequence[str]) -> FloatArray:
        """Members x regions."""
        if self.weights is not None:
            return _sigmoid(self.weights.logits(table, self.vocab, regions))
        assert self.estimator is not None
        members = design.boosting_members(table, self.vocab)
        codes = self.vocab.region_codes(regions)
        out = np.empty((table.n, len(regions)))
        step = max(1, CHUNK_ROWS // max(1, len(regions)))
        with threadpool_limits(limits=TREE_THREADS, user_api="openmp"):
            for start in range(0, table.n, step):
                block = members[start:start + step]
                rows = np.vstack([design.with_region(block, np.full(block.shape[0], c)) for c in codes])
                out[start:start + step] = self.estimator.predict_proba(rows)[:, 1].reshape(len(regions), -1).T
        return out

    def probabilities_at(self, table: MemberTable, regions: Sequence[str]) -> FloatArray:
        """Each member's probability in their own region, `regions[m]` being member m's region."""
        known = sorted(set(regions))
        column = np.asarray([known.index(r) for r in regions], dtype=np.int64) if known else np.zeros(0, int)
        if self.weights is not None:
            own: FloatArray = self.member_probabilities(table, known)[np.arange(table.n), column]
            return own
        assert self.estimator is not None
        rows = design.with_region(design.boosting_members(table, self.vocab), self.vocab.region_codes(regions))
        if not table.n:
            return np.zeros(0)
        with threadpool_limits(limits=TREE_THREADS, user_api="openmp"):
            out: FloatArray = self.estimator.predict_proba(rows)[:, 1]
        return out

    def predict_members(self, families: Sequence[FamilyFacts], regions: Sequence[str]) -> FloatArray:
        """Each working-age member's probability (member_table order) in their family's region
        (`regions[i]` for family i)."""
        table = member_table(families, self.working_age)
        return self.probabilities_at(table, [regions[int(f)] for f in table.family_index])

    def predict(self, families: Sequence[FamilyFacts], regions: Sequence[str]) -> Prediction:
        table = member_table(families, self.working_age)
        expected = sum_by_family(table.family_index, len(families), self.member_probabilities(table, regions))
        count = table.working_per_family.astype(np.float64)[:, None]
        mean = np.divide(expected, count, out=np.zeros_like(expected), where=count > 0)
        return Prediction(expected=expected, mean=mean)

    def predict_matrix(self, families: Sequence[FamilyFacts], regions: Sequence[str]) -> FloatArray:
        """Families x regions: expected number of working-age members employed at 12 months."""
        return self.predict(families, regions).expected

    def predict_mean_matrix(self, families: Sequence[FamilyFacts], regions: Sequence[str]) -> FloatArray:
        """Families x regions: mean probability of the working-age members (0 without any)."""
        return self.predict(families, regions).mean

    # Storage ----------------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        meta = {
            "format": FORMAT_VERSION, "kind": self.kind, "target": self.target,
            "working_age": [self.working_age.first, self.working_age.pension],
            "regions": list(self.vocab.regions), "origins": list(self.vocab.origins),
            "held_out": list(self.held_out), "card": self.card.to_dict() if self.card else None,
            "libraries": libraries(),
        }
        arrays: dict[str, Any] = {"meta": np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)}
        if self.weights is not None:
            w = self.weights
            arrays |= {"intercept": np.array([w.intercept]), "main": w.main, "region": w.region,
                       "interaction": w.interaction}
        else:
            arrays["estimator"] = np.frombuffer(pickle.dumps(self.estimator), dtype=np.uint8)
        buffer = io.BytesIO()
        buffer.write(MAGIC)
        np.savez_compressed(buffer, **arrays)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> "OutcomeModel":
        """Read a model written by `to_bytes`. Refuses another format version, and a boosting model pickled
        by another scikit-learn version (its trees are not guaranteed to read back the same)."""
        if not data.startswith(MAGIC):
            raise ModelFormatError("not a Koshiqon placement model")
        try:
            stored = np.load(io.BytesIO(data[len(MAGIC):]), allow_pickle=False)
            meta = json.loads(bytes(stored["meta"]).decode())
        except (ValueError, OSError, KeyError) as exc:
            raise ModelFormatError(f"unreadable placement model: {exc}") from exc
        if meta.get("format") != FORMAT_VERSION:
            raise ModelFormatError(f"model format {meta.get('format')}, this version reads {FORMAT_VERSION}")
        common = dict(
            kind=meta["kind"], target=meta["target"], working_age=WorkingAge(*meta["working_age"]),
            vocab=Vocabulary(regions=tuple(meta["regions"]), origins=tuple(meta["origins"])),
            card=ModelCard.from_dict(meta["card"]) if meta["card"] else None, held_out=tuple(meta["held_out"]),
        )
        if meta["kind"] == "logistic":
            weights = LogisticWeights(
                intercept=float(stored["intercept"][0]), main=stored["main"], region=stored["region"],
                interaction=stored["interaction"],
            )
            return cls(weights=weights, **common)
        if meta["libraries"]["scikit-learn"] != sklearn.__version__:
            raise ModelFormatError(
                f"boosting model saved with scikit-learn {meta['libraries']['scikit-learn']}, "
                f"running {sklearn.__version__}"
            )
        estimator = pickle.loads(bytes(stored["estimator"]))  # noqa: S301 - bytes this system wrote
        return cls(estimator=estimator, **common)


def libraries() -> dict[str, str]:
    return {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__,
            "scikit-learn": sklearn.__version__}


def _fit(
    kind: str, params: Mapping[str, Any], table: MemberTable, regions: Sequence[str], y: BoolArray,
    vocab: Vocabulary, seed: int,
) -> tuple[LogisticWeights | None, HistGradientBoostingClassifier | None]:
    if kind == "logistic":
        x = design.logistic_design(table, regions, vocab)
        lr = LogisticRegression(C=float(params["C"]), max_iter=3000)
        lr.fit(x, y)
        weights = LogisticWeights.from_flat(
            lr.coef_[0].astype(np.float64), float(lr.intercept_[0]),
            n_main=design.main_block(take(table, np.zeros(0, dtype=np.int64)), vocab).shape[1],
            n_regions=len(vocab.regions),
        )
        return weights, None
    if kind == "boosting":
        hgb = HistGradientBoostingClassifier(
            categorical_features=design.BOOSTING_CATEGORICAL, early_stopping=True, validation_fraction=0.15,
            n_iter_no_change=20, random_state=seed, **params,
        )
        rows = design.with_region(design.boosting_members(table, vocab), vocab.region_codes(regions))
        with threadpool_limits(limits=TREE_THREADS, user_api="openmp"):
            hgb.fit(rows, y)
        return None, hgb
    raise ValueError(f"unknown model kind {kind!r}")


def _model(
    kind: str, params: Mapping[str, Any], table: MemberTable, regions: Sequence[str], y: BoolArray,
    vocab: Vocabulary, seed: int, working_age: WorkingAge, target: str,
) -> OutcomeModel:
    weights, estimator = _fit(kind, params, table, regions, y, vocab, seed)
    return OutcomeModel(kind=kind, vocab=vocab, working_age=working_age, target=target, card=None,
                        held_out=(), weights=weights, estimator=estimator)


def train(
    families: Sequence[FamilyFacts], outcomes: Sequence[Outcome], *, seed: int = 0, kind: str = "auto",
    target: str = "employed_12m", working_age: WorkingAge | None = None, holdout_share: float = 0.2,
    validation_share: float = 0.2, regions: Sequence[str] = (), reference: Reference | None = None,
    candidates: Sequence[tuple[str, dict[str, Any]]] = CANDIDATES, now: datetime | None = None,
) -> OutcomeModel:
    """Train on the families outside the hold-out and write the card from the held-out ones.

    `kind`: "auto" tries every candidate, "logistic" or "boosting" only those of that kind. `regions`: regions
    the model should know even without history (they are listed as such in the card). `reference`: the
    ground truth's member probabilities, on demo data, to put the truth's own AUC beside the model's."""
    started = time.perf_counter()
    wa = working_age or WorkingAge()
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r}")
    tried = [c for c in candidates if kind == "auto" or c[0] == kind]
    if not tried:
        raise ValueError(f"no candidate model of kind {kind!r}")
    data = labelled(families, outcomes, working_age=wa, target=target)
    table, y = data.table, data.label
    ids = [data.families[int(f)].id for f in table.family_index]
    test = np.array([in_holdout(i, seed=seed, share=holdout_share) for i in ids], dtype=bool)
    train_rows, test_rows = np.flatnonzero(~test), np.flatnonzero(test)
    y_train = y[train_rows]
    if train_rows.shape[0] < 50 or test_rows.shape[0] < 10 or y_train.all() or not y_train.any():
        raise TrainingError(
            f"need at least 50 training and 10 held-out members with both outcomes; got {train_rows.shape[0]} "
            f"and {test_rows.shape[0]}"
        )
    region_train = [data.region[int(r)] for r in train_rows]
    vocab = design.learn_vocabulary(
        take(table, train_rows), list(region_train) + list(regions), min_origin_members=MIN_ORIGIN_MEMBERS,
    )

    def subset(rows: np.ndarray[Any, np.dtype[np.int64]]) -> tuple[MemberTable, list[str], BoolArray]:
        return take(table, rows), [data.region[int(r)] for r in rows], y[rows]

    results: list[Candidate] = []
    chosen = 0
    if len(tried) > 1:
        val = np.array([in_holdout(ids[int(r)], seed=seed + 1, share=validation_share) for r in train_rows])
        fit_t, fit_r, fit_y = subset(train_rows[~val])
        val_t, val_r, val_y = subset(train_rows[val])
        for c_kind, params in tried:
            t0 = time.perf_counter()
            candidate = _model(c_kind, params, fit_t, fit_r, fit_y, vocab, seed, wa, target)
            s = scores(candidate.probabilities_at(val_t, val_r), val_y)
            results.append(Candidate(kind=c_kind, params=dict(params), auc=s.auc, log_loss=s.log_loss,
                                     brier=s.brier, seconds=round(time.perf_counter() - t0, 3), chosen=False))
        chosen = min(range(len(results)), key=lambda i: results[i].log_loss)
        results[chosen] = replace(results[chosen], chosen=True)
    c_kind, params = tried[chosen]
    train_t, train_r, train_y = subset(train_rows)
    model = _model(c_kind, params, train_t, train_r, train_y, vocab, seed, wa, target)
    test_t, test_r, test_y = subset(test_rows)
    p = model.probabilities_at(test_t, test_r)
    reference_auc = None
    if reference is not None:
        truth = reference(data.families, data.family_regions)
        if truth.shape != (member_table(data.families, wa).n,):
            raise ValueError("the reference must give one probability per working-age member, same working age")
        truth = truth[data.rows[test_rows]]
        reference_auc = scores(truth, test_y).auc
    test_families = sorted({ids[int(r)] for r in test_rows})
    model.held_out = tuple(test_families)
    model.card = ModelCard(
        kind=c_kind, target=target, working_age=(wa.first, wa.pension), seed=seed, holdout_share=holdout_share,
        trained_at=(now or datetime.now(UTC)).isoformat(timespec="seconds"),
        training_seconds=round(time.perf_counter() - started, 3),
        families=len({*ids}), members=table.n, train_families=len({ids[int(r)] for r in train_rows}),
        train_members=int(train_rows.shape[0]), test_families=len(test_families),
        test_members=int(test_rows.shape[0]), test=scores(p, test_y), reference_auc=reference_auc,
        family_mae=family_mae(p, test_y, test_t.family_index), calibration=calibration(p, test_y),
        regions=region_errors(p, test_y, test_r, test_t.family_index, train_r),
        regions_without_history=tuple(r for r in vocab.regions if r not in set(train_r)),
        candidates=tuple(results), hyperparameters={"kind": c_kind, **params,
                                                    "min_origin_members": MIN_ORIGIN_MEMBERS,
                                                    "validation_share": validation_share},
        libraries=libraries(),
    )
    return model
