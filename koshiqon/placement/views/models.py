"""The placement home page (the model in use, the batches, what the user may start) and the model card of a
trained model, with its training and the choice of the model in use. They call the same services and
selectors as the API."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import can, require
from koshiqon.people.forms import apply_errors
from koshiqon.placement.models import HistorySource
from koshiqon.placement.selectors.batches import batch_list
from koshiqon.placement.selectors.history import history_summary
from koshiqon.placement.selectors.models import model_get, model_in_use, model_list
from koshiqon.placement.services.training import model_activate, model_train_start
from koshiqon.placement.views.cards import backtest_view, card_view, region_names
from koshiqon.placement.views.forms import BatchCreateForm, ReasonForm, TrainForm


def _rights(user) -> dict[str, bool]:
    return {"can_run": can(user, Perm.PLACEMENT_RUN), "can_approve": can(user, Perm.PLACEMENT_APPROVE)}


@require_GET
def home(request):
    user = request.user
    active = model_in_use(user=user)
    rights = _rights(user)
    summary = history_summary(user=user)
    return render(request, "placement/home.html", {
        **rights, "active": active, "card": card_view(active.card, {}) if active else None,
        "backtest": backtest_view(active.backtest) if active else None,
        "models": model_list(user=user)[:10], "batches": batch_list(user=user)[:20],
        "history": summary, "sources": [(label, summary.by_source.get(value, 0))
                                        for value, label in HistorySource.choices],
        "train_form": TrainForm() if rights["can_run"] else None,
        "batch_form": BatchCreateForm() if rights["can_run"] else None,
    })


@require_GET
def model_card(request, pk: int):
    model = model_get(user=request.user, pk=pk)
    can_activate = can(request.user, Perm.PLACEMENT_RUN) and not model.active
    return render(request, "placement/model_card.html", {
        "model": model, "card": card_view(model.card, region_names()), "backtest": backtest_view(model.backtest),
        "activate_form": ReasonForm(prefix="activate") if can_activate else None,
    })


@require_POST
def train_start(request):
    require(request.user, Perm.PLACEMENT_RUN)
    form = TrainForm(request.POST)
    if form.is_valid():
        try:
            job = model_train_start(by=request.user, kind=form.cleaned_data["kind"], seed=form.cleaned_data["seed"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("jobs:job_detail", pk=job.pk)
    messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect("placement:home")


@require_POST
def activate(request, pk: int):
    model = model_get(user=request.user, pk=pk)
    require(request.user, Perm.PLACEMENT_RUN)
    form = ReasonForm(request.POST, prefix="activate")
    if form.is_valid():
        try:
            model_activate(model=model, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Model No. %(id)s is now in use.") % {"id": model.pk})
    else:
        messages.error(request, _("Give a reason."))
    return redirect("placement:model_card", pk=model.pk)


urlpatterns = [
    path("", home, name="home"),
    path("models/train/", train_start, name="train"),
    path("models/<int:pk>/", model_card, name="model_card"),
    path("models/<int:pk>/activate/", activate, name="activate"),
]
