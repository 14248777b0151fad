"""Fixtures of the placement tests: a small demo history, a model trained on it (once per session, then stored
in each test's database), and a batch scene of admitted families, quotas and centres."""

import pytest

from koshiqon.placement.domain.outcome_model import train
from koshiqon.placement.domain.truth import generate_history, true_member_probabilities
from koshiqon.placement.models import OutcomeModel
from koshiqon.placement.services.history import placement_history_demo
from koshiqon.placement.tests.scene import (
    ENGINEERS,
    FARMERS,
    TODAY,
    make_application,
    make_centre,
    make_quota,
)

REGIONS = ["KZ-11", "KZ-55", "KZ-75"]
HISTORY = 600


@pytest.fixture(scope="session")
def trained_blob():
    """A model trained on 600 demo families in the three test regions: trained once, pure Python."""
    history = generate_history(HISTORY, REGIONS, seed=3)
    model = train(history.families, history.outcomes, seed=0, regions=REGIONS, reference=true_member_probabilities)
    assert model.card is not None
    return model.to_bytes(), model.card.to_dict()


@pytest.fixture
def demo_history(reference):
    return placement_history_demo(by="test", families=HISTORY, seed=3, today=TODAY)


@pytest.fixture
def active_model(national, trained_blob):
    blob, card = trained_blob
    return OutcomeModel.objects.create(trained_by=national, blob=blob, card=card, families=card["families"],
                                       auc=card["test"]["auc"], active=True)


@pytest.fixture
def batch_scene(reference, active_model):
    """Quotas of 2026 in families (Pavlodar 3, Almaty 1, Akmola 2: one place to spare) and centres in each region, the Akmola one
    with a psychologist; six admitted families: engineers and farmers, one needing a psychologist."""
    make_quota({"KZ-55": 3, "KZ-75": 1, "KZ-11": 2})
    make_centre("KZ-55", beds=20)
    make_centre("KZ-75", beds=10)
    make_centre("KZ-11", beds=10, services=("information", "employment_help", "psychologist"))
    return {
        "engineers": make_application(region="KZ-75", members=ENGINEERS, last_name="Омаров"),
        "engineers2": make_application(region="KZ-55", members=ENGINEERS, last_name="Ахметов"),
        "farmers": make_application(region="KZ-55", members=FARMERS, origin="UZ", last_name="Жақсыбеков"),
        "farmers2": make_application(region="KZ-11", members=FARMERS, origin="UZ", last_name="Бекқожин"),
        "fragile": make_application(region="KZ-55", members=FARMERS, origin="MN", last_name="Дорж"),
        "waiting": make_application(region="KZ-55", members=ENGINEERS, status="recommended", last_name="Күтуші"),
    }
