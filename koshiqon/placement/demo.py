"""The placement demo: a history of past arrivals drawn from the illustrative ground truth, a model trained on
it, and, when this year's quota has admitted families, a draft batch of them with some needs marked.

- History: 4,000 families of the last three full years (services/history.placement_history_demo), fast
  (bulk inserts) and audited as one event; idempotent.
- Model: trained by the demo national officer (accounts of koshiqon.demo) when no model is in use, so the
  model card with its calibration and backtest can be read at once.
- Batch: the demo kandas applications stay before the selection (so a visitor can run it), so a batch is made
  only once the year's selection is approved; about one family in twelve is then marked as needing a
  psychologist or a referral to free medical care, which only some regions' centres give (when centres
  exist). The batch is left in draft: solving it is the visitor's step.
"""

import random
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from koshiqon.accounts.models import User
from koshiqon.adaptation.selectors.placement import regions_with_service
from koshiqon.core.audit import audit_record
from koshiqon.placement.models import BatchFamily, OutcomeModel, PlacementBatch
from koshiqon.placement.services.batches import batch_create, families_to_place
from koshiqon.placement.services.history import DEMO_FAMILIES, placement_history_demo
from koshiqon.placement.services.training import model_train

DEMO_USER = "national"
NEEDS = (("psychologist", 0.05), ("medical_referral", 0.03))


def placement_demo(*, seed: int = 1, by: Any = "koshiqon demo", families: int = DEMO_FAMILIES) -> dict[str, Any]:
    """Make what is missing of the placement demo; returns what was made."""
    out: dict[str, Any] = {"history": placement_history_demo(by=by, families=families, seed=seed)}
    officer = User.objects.filter(username=DEMO_USER, role="national_officer").first()
    if officer is None:
        out["model"] = out["batch"] = "no demo national officer: run koshiqon demo first"
        return out
    if not OutcomeModel.objects.filter(active=True).exists():
        model = model_train(by=officer, seed=seed)
        out["model"] = {"id": model.pk, "auc": model.auc, "families": model.families}
    else:
        out["model"] = "a model is already in use"
    out["batch"] = _batch(officer, seed)
    return out


def _batch(officer: User, seed: int) -> dict[str, Any] | str:
    today = timezone.localdate()
    if PlacementBatch.objects.filter(year=today.year, created_by=officer).exists():
        return "a demo batch exists"
    if not families_to_place(today.year).exists():
        return f"no family of {today.year} is included in the quota yet: run and approve the selection first"
    batch = batch_create(year=today.year, arrival_date=today + timedelta(days=14), by=officer,
                         respect_centre_beds=False, today=today)
    offered = {code for code, _share in NEEDS if regions_with_service(code=code, on=batch.arrival_date)}
    rng = random.Random(f"placement-demo-needs-{seed}")
    marked = []
    for family in batch.families.order_by("id"):
        needs = [code for code, share in NEEDS if code in offered and rng.random() < share]
        if needs:
            family.needs = needs
            marked.append(family)
    with transaction.atomic():
        BatchFamily.objects.bulk_update(marked, ["needs"])
        audit_record(by=officer, action="placement.batch.demo_needs", obj=batch,
                     after={"families_with_needs": len(marked), "services": sorted(offered)})
    return {"id": batch.pk, "families": batch.families.count(), "with_needs": len(marked)}
