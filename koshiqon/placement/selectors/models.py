"""Reads of the trained outcome models and their cards. A card holds aggregates only (counts, rates, AUC),
never a person, so everyone with the right to view placement reads every card."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import require
from koshiqon.placement.models import OutcomeModel


def model_list(*, user) -> QuerySet[OutcomeModel]:
    require(user, Perm.PLACEMENT_VIEW)
    return OutcomeModel.objects.select_related("trained_by", "job").defer("blob").order_by("-created_at", "-id")


def model_get(*, user, pk: int) -> OutcomeModel:
    return get_object_or_404(model_list(user=user), pk=pk)


def model_in_use(*, user) -> OutcomeModel | None:
    return model_list(user=user).filter(active=True).first()
