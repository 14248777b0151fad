"""What the model card page shows, read from a stored card and backtest (plain JSON written by the domain): the
texts in the reader's language, rates in percent, region names, and the charts' geometry."""

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from koshiqon.placement.domain.model_card import DEMO_LIMITATION
from koshiqon.placement.views.charts import calibration_plot, grouped_bars
from koshiqon.reference.models import Region


def language() -> str:
    return (get_language() or "kk")[:2]


def text(value: Any) -> str:
    """A {kk, ru, en} text in the reader's language (Kazakh when missing)."""
    if isinstance(value, dict):
        return str(value.get(language()) or value.get("kk") or "")
    return str(value or "")


def region_names() -> dict[str, str]:
    return {r.code: r.name for r in Region.objects.prefetch_related("names")}


def pct(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(100 * value, digits)


def card_view(card: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    history = card.get("history", {})
    regions = [{
        **r, "name": names.get(r["region"], r["region"]), "predicted": pct(r["predicted_rate"]),
        "observed": pct(r["observed_rate"]), "error": round(100 * (r["predicted_rate"] - r["observed_rate"]), 1),
        "brier": round(r["brier"], 4), "auc": None if r["auc"] is None else round(r["auc"], 3),
    } for r in card.get("regions", [])]
    limitations = [text(t) for t in card.get("limitations", [])]
    if history.get("with_truth"):
        limitations.append(text(DEMO_LIMITATION.as_dict()))
    test = card.get("test", {})
    return {
        "history": history,
        "features": [text(f) for f in card.get("features", [])],
        "limitations": limitations,
        "auc": None if test.get("auc") is None else round(test["auc"], 3),
        "reference_auc": None if card.get("reference_auc") is None else round(card["reference_auc"], 3),
        "log_loss": round(test.get("log_loss", 0), 4), "brier": round(test.get("brier", 0), 4),
        "base_rate": pct(test.get("base_rate")), "mean_predicted": pct(test.get("mean_predicted")),
        "family_mae": round(card.get("family_mae", 0), 3),
        "calibration": calibration_plot(card.get("calibration", [])),
        "regions": regions,
        "region_chart": grouped_bars(
            groups=[(r["name"], [r["predicted"], r["observed"]]) for r in regions],
            series=[("predicted", _("Predicted")), ("observed", _("Observed"))], unit="%", max_value=100),
        "regions_without_history": [names.get(c, c) for c in card.get("regions_without_history", [])],
        "candidates": card.get("candidates", []),
        "hyperparameters": card.get("hyperparameters", {}),
        "libraries": card.get("libraries", {}),
        "working_age": card.get("working_age", [16, 63]),
    }


def backtest_view(backtest: dict[str, Any]) -> dict[str, Any] | None:
    if not backtest or "arms" not in backtest:
        return None
    arms = [{
        **a, "label": text(a["label"]), "predicted": round(a["predicted"], 1),
        "true": None if a["true"] is None else round(a["true"], 1),
        "predicted_rate": pct(a["predicted_rate"]), "true_rate": pct(a["true_rate"]),
        "uplift_predicted": None if a["uplift_predicted"] is None else round(a["uplift_predicted"], 1),
        "uplift_true": None if a["uplift_true"] is None else round(a["uplift_true"], 1),
    } for a in backtest["arms"]]
    with_truth = any(a["true"] is not None for a in arms)
    series = [("predicted", _("Predicted by the model"))] + ([("true", _("Expected under the truth"))]
                                                            if with_truth else [])
    return {
        "arms": arms, "with_truth": with_truth, "families": backtest["families"],
        "members": backtest["working_age_members"],
        "oracle_share": pct(backtest.get("oracle_share"), 0),
        "truth_version": backtest.get("truth_version", ""),
        "chart": grouped_bars(groups=[(a["label"], [a["predicted"]] + ([a["true"]] if with_truth else []))
                                      for a in arms], series=series),
        "uplift_chart": grouped_bars(
            groups=[(a["label"], [a["uplift_predicted"]] + ([a["uplift_true"]] if with_truth else []))
                    for a in arms if a["name"] != "actual"], series=series, unit="%"),
        "optimised": next((a for a in arms if a["name"] == "optimised"), None),
    }
