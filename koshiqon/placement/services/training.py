"""Training the outcome model on the history, with its model card and backtest, and choosing the model in use.

Training (a long job): the history is read in bulk, the domain trains on the families outside a hold-out
(a hash of the seed and the family decides: domain/features.in_holdout) and writes the card from the
held-out families; then the backtest places those same held-out families four ways (as they actually
settled, optimised on the model, proportional to the quota, at random) within the capacities they actually
used and scores each. On demo data, whose outcomes came from a known ground truth, the card also carries the
truth's own AUC and the backtest the truth's scores and the best assignment under the truth (the oracle).
The new model becomes the one in use; both the training and the switch are audited.
"""

from collections import Counter
from dataclasses import asdict
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiqon.core.audit import audit_record
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import require
from koshiqon.jobs.models import Job
from koshiqon.jobs.services import job_start
from koshiqon.placement.domain.backtest import Backtest, BacktestError, run_backtest
from koshiqon.placement.domain.outcome_model import TrainingError, train
from koshiqon.placement.domain.truth import PROFILES, true_expected_employment, true_member_probabilities
from koshiqon.placement.models import OutcomeModel, PastArrival
from koshiqon.placement.selectors.facts import History, history
from koshiqon.placement.selectors.history import regions_in_force
from koshiqon.placement.services.history import Progress, no_progress

JOB_KIND = "placement.train"
KINDS = ("auto", "logistic", "boosting")
STEPS = 5


def model_train_start(*, by, kind: str = "auto", seed: int = 0) -> Job:
    """Queue the training as a long job (follow it on the job's page)."""
    require(by, Perm.PLACEMENT_RUN)
    if kind not in KINDS:
        raise ValidationError({"kind": [_("Choose one of: %(choices)s.") % {"choices": ", ".join(KINDS)}]})
    if not PastArrival.objects.exists():
        raise ValidationError(_("The history is empty: import past arrivals or refresh them from this system "
                                "first."))
    return job_start(kind=JOB_KIND, title=_("Training of the placement outcome model"), by=by,
                     model_kind=kind, seed=seed)


def _history_section(data: History) -> dict[str, Any]:
    years = sorted(data.years.values())
    return {
        "families": len(data.families),
        "by_source": dict(sorted(Counter(data.sources.values()).items())),
        "first_year": years[0] if years else None, "last_year": years[-1] if years else None,
        "by_year": sorted(Counter(years).items()),
        "regions": len(set(data.regions.values())),
        "with_truth": len(data.truth),
        "truth_versions": sorted(set(data.truth.values())),
    }


def backtest_json(result: Backtest, *, truth_version: str = "") -> dict[str, Any]:
    """The backtest as stored: every figure, without the assignments themselves (thousands of ids)."""
    out = asdict(result)
    for arm in out["arms"]:
        arm.pop("assignment", None)
        arm["unplaced"] = len(arm["unplaced"])
    out["truth_version"] = truth_version
    return out


def _backtest(model, data: History, seed: int) -> dict[str, Any]:
    held = set(model.held_out)
    families = [f for f in data.families if f.id in held]
    if not families:
        return {}
    actual = {f.id: data.regions[f.id] for f in families}
    regions = sorted(set(actual.values()))
    scores = model.predict_matrix(families, regions)
    truth = None
    versions = {data.truth.get(f.id, "") for f in families}
    if "" not in versions and all(r in PROFILES for r in regions):
        truth = true_expected_employment(families, regions)
    try:
        result = run_backtest(families, actual, regions, scores, truth=truth, seed=seed)
    except BacktestError as exc:
        return {"error": str(exc)}
    return backtest_json(result, truth_version=", ".join(sorted(versions)) if truth is not None else "")


def model_train(*, by, progress: Progress | None = None, kind: str = "auto", seed: int = 0,
                job_id: int | None = None, today: date | None = None) -> OutcomeModel:
    """Train on the whole history, store the model with its card and backtest, and put it in use."""
    require(by, Perm.PLACEMENT_RUN)
    progress, today = progress or no_progress, today or timezone.localdate()
    progress(0, STEPS, _("Reading the history"))
    data = history()
    if not data.families:
        raise ValidationError(_("The history is empty: import past arrivals or refresh them from this system "
                                "first."))
    regions = sorted(set(regions_in_force(today)) | set(data.regions.values()))
    reference = None
    if len(data.truth) == len(data.families) and all(r in PROFILES for r in data.regions.values()):
        reference = true_member_probabilities
    progress(1, STEPS, _("Training on %(families)s families") % {"families": len(data.families)})
    try:
        model = train(data.families, data.outcomes, seed=seed, kind=kind, regions=regions, reference=reference)
    except TrainingError as exc:
        raise ValidationError(_("The history cannot train a model: %(reason)s") % {"reason": exc}) from exc
    card = model.card
    assert card is not None
    progress(3, STEPS, _("Backtest on the held-out families"))
    backtest = _backtest(model, data, seed)
    progress(4, STEPS, _("Saving the model"))
    blob = model.to_bytes()
    with transaction.atomic():
        previous = list(OutcomeModel.objects.select_for_update().filter(active=True).values_list("pk", flat=True))
        OutcomeModel.objects.filter(active=True).update(active=False)
        stored = OutcomeModel.objects.create(
            trained_by=by, blob=blob, card={**card.to_dict(), "history": _history_section(data)},
            backtest=backtest, families=card.families, auc=card.test.auc, active=True, job_id=job_id,
        )
        audit_record(by=by, action="placement.model.train", obj=stored, after={
            "kind": card.kind, "families": card.families, "members": card.members, "auc": card.test.auc,
            "seed": seed, "bytes": len(blob), "job": job_id,
            "optimised_uplift": _uplift(backtest, "optimised"), "oracle_share": backtest.get("oracle_share"),
        })
        audit_record(by=by, action="placement.model.activate", obj=stored,
                     before={"active_model": previous[0] if previous else None}, after={"active_model": stored.pk},
                     reason=_("A newly trained model is put in use."))
    progress(STEPS, STEPS, _("The model is trained and in use"))
    return stored


def _uplift(backtest: dict[str, Any], name: str) -> float | None:
    arm = next((a for a in backtest.get("arms", []) if a["name"] == name), None)
    return arm["uplift_predicted"] if arm else None


@transaction.atomic
def model_activate(*, model: OutcomeModel, by, reason: str) -> OutcomeModel:
    """Put another trained model in use (e.g. back to an earlier one), with the reason."""
    require(by, Perm.PLACEMENT_RUN)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why this model is put in use.")]})
    model = OutcomeModel.objects.select_for_update().get(pk=model.pk)
    if model.active:
        raise ValidationError(_("This model is already in use."))
    previous = list(OutcomeModel.objects.select_for_update().filter(active=True).values_list("pk", flat=True))
    OutcomeModel.objects.filter(active=True).update(active=False)
    model.active = True
    model.save(update_fields=["active", "updated_at"])
    audit_record(by=by, action="placement.model.activate", obj=model,
                 before={"active_model": previous[0] if previous else None}, after={"active_model": model.pk},
                 reason=reason.strip())
    return model
