"""How long the placement outcome model takes to train and to score: a demo history of --history families
(the illustrative ground truth of koshiqon/placement/domain/truth.py) is generated, each kind of model is
trained on it (the logistic regression with region interactions, the gradient-boosted trees, and "auto",
which tries both and picks on a validation split), and each scores --families new families in the 20
current regions (`predict_matrix`, families x regions). Target (issue 4): 100,000 families x 20 regions
in a few seconds.

Prints the held-out AUC of each model beside the truth's own AUC on the same members.

    .venv/bin/python benchmarks/placement_model.py [--history 50000] [--families 100000] [--kinds logistic,boosting]
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from koshiqon.placement.domain.demography import draw_families  # noqa: E402
from koshiqon.placement.domain.outcome_model import train  # noqa: E402
from koshiqon.placement.domain.truth import (  # noqa: E402
    current_region_codes,
    generate_history,
    true_member_probabilities,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--history", type=int, default=50_000, help="families in the demo history")
    parser.add_argument("--families", type=int, default=100_000, help="families to score")
    parser.add_argument("--kinds", default="logistic,boosting", help="comma-separated: logistic, boosting, auto")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    regions = current_region_codes()
    t0 = time.perf_counter()
    history = generate_history(args.history, regions, seed=args.seed)
    print(f"history: {len(history.families):,} families, {len(history.outcomes):,} member outcomes, "
          f"generated in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    families = draw_families(args.families, seed=args.seed + 1, prefix="N")
    print(f"new families: {len(families):,} drawn in {time.perf_counter() - t0:.1f} s")
    for kind in args.kinds.split(","):
        t0 = time.perf_counter()
        model = train(history.families, history.outcomes, seed=args.seed, kind=kind, regions=regions,
                      reference=true_member_probabilities)
        trained = time.perf_counter() - t0
        card = model.card
        assert card is not None
        t0 = time.perf_counter()
        matrix = model.predict_matrix(families, regions)
        predicted = time.perf_counter() - t0
        print(f"{kind:>9}: chose {card.kind} {card.hyperparameters}; trained in {trained:.1f} s on "
              f"{card.train_members:,} members; held-out AUC {card.test.auc:.4f} (truth {card.reference_auc:.4f}), "
              f"Brier {card.test.brier:.4f}; predict_matrix {matrix.shape[0]:,} x {matrix.shape[1]} in "
              f"{predicted:.2f} s; model {len(model.to_bytes()):,} bytes")


if __name__ == "__main__":
    main()
