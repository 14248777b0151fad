"""How a member table becomes the numbers each kind of model reads.

Two encodings of the same facts (features.FEATURES):

- logistic: one-hot and scaled columns for the member's own facts and the family's composition, region
  indicators, and region x (education, occupation, Kazakh, Russian, sex, experience, age) interactions, so that
  a linear model can say "a fluent Russian speaker does better in Pavlodar than in Turkistan". Prediction never
  builds the members x regions matrix: logit[m, r] = a[m] + b[r] + Z[m] . W[r], a few matrix products.
- boosting: one row per member with region, origin and occupation as categories; the trees find the
  interactions themselves. Prediction repeats the member rows once per region, in chunks.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from koshiqon.placement.domain.features import (
    EDUCATION_GROUPS,
    LANGUAGE_LEVELS,
    OCCUPATION_GROUPS,
    FloatArray,
    IntArray,
    MemberTable,
    region_codes,
)

OTHER = "other"


@dataclass(frozen=True)
class Vocabulary:
    """The regions and origins a model knows, in column order. Origins rarer than the model's threshold in the
    training data are read as "other"."""

    regions: tuple[str, ...]
    origins: tuple[str, ...]

    def origin_codes(self, origins: Sequence[str]) -> IntArray:
        lookup = {o: i for i, o in enumerate(self.origins)}
        other = len(self.origins)
        return np.asarray([lookup.get(o, other) for o in origins], dtype=np.int64)

    def region_codes(self, regions: Sequence[str]) -> IntArray:
        return region_codes(regions, self.regions)


def learn_vocabulary(table: MemberTable, regions: Sequence[str], *, min_origin_members: int) -> Vocabulary:
    values, counts = np.unique(np.asarray(table.origin, dtype=str), return_counts=True)
    origins = tuple(sorted(str(v) for v, c in zip(values, counts, strict=True) if c >= min_origin_members and v))
    return Vocabulary(regions=tuple(sorted(set(regions))), origins=origins)


def _one_hot(codes: IntArray, width: int) -> FloatArray:
    out = np.zeros((codes.shape[0], width))
    out[np.arange(codes.shape[0]), codes] = 1.0
    return out


def _age(table: MemberTable) -> FloatArray:
    scaled: FloatArray = (table.age - 35.0) / 12.0
    return scaled


def main_block(table: MemberTable, vocab: Vocabulary) -> FloatArray:
    """Members x main-effect columns: the member's facts and the family's, without the region."""
    age = _age(table)
    young = np.minimum(table.young_children, 3.0)
    return np.hstack([
        np.column_stack([
            age, age**2, (table.age < 18).astype(np.float64), ((table.age >= 18) & (table.age < 20)).astype(np.float64),
            table.female, table.female * young, young,
            table.experience / 10.0, np.sqrt(table.experience) / 3.0,
            (table.size - 4.0) / 2.0, table.children / 2.0, table.pensioners,
        ]),
        _one_hot(table.education, len(EDUCATION_GROUPS)),
        _one_hot(table.occupation, OCCUPATION_GROUPS),
        _one_hot(table.kazakh, len(LANGUAGE_LEVELS)),
        _one_hot(table.russian, len(LANGUAGE_LEVELS)),
        _one_hot(vocab.origin_codes(table.origin), len(vocab.origins) + 1),
    ])


def interaction_block(table: MemberTable) -> FloatArray:
    """Members x K: the facts whose effect may differ by region."""
    return np.hstack([
        _one_hot(table.education, len(EDUCATION_GROUPS)),
        _one_hot(table.occupation, OCCUPATION_GROUPS),
        _one_hot(table.kazakh, len(LANGUAGE_LEVELS)),
        _one_hot(table.russian, len(LANGUAGE_LEVELS)),
        np.column_stack([table.female, table.experience / 10.0, _age(table)]),
    ])


def logistic_design(table: MemberTable, regions: Sequence[str], vocab: Vocabulary) -> sp.csr_matrix:
    """The training matrix: [main | region one-hot | region x interactions], sparse. A region outside the
    vocabulary gets no region columns (the model then predicts the average region)."""
    main = sp.csr_matrix(main_block(table, vocab))
    z = sp.coo_matrix(interaction_block(table))
    n_regions, k = len(vocab.regions), z.shape[1]
    codes = vocab.region_codes(regions)
    rows = np.flatnonzero(codes >= 0)
    region = sp.csr_matrix(
        (np.ones(rows.shape[0]), (rows, codes[rows])), shape=(table.n, n_regions),
    )
    keep = codes[z.row] >= 0
    inter = sp.csr_matrix(
        (z.data[keep], (z.row[keep], codes[z.row[keep]] * k + z.col[keep])), shape=(table.n, n_regions * k),
    )
    return sp.hstack([main, region, inter], format="csr")


@dataclass(frozen=True)
class LogisticWeights:
    """A fitted logistic model, split the way prediction uses it."""

    intercept: float
    main: FloatArray  # (main columns,)
    region: FloatArray  # (regions,)
    interaction: FloatArray  # (regions, K)

    @classmethod
    def from_flat(cls, coef: FloatArray, intercept: float, n_main: int, n_regions: int) -> "LogisticWeights":
        region = coef[n_main:n_main + n_regions]
        return cls(
            intercept=intercept, main=coef[:n_main], region=region,
            interaction=coef[n_main + n_regions:].reshape(n_regions, -1),
        )

    def logits(self, table: MemberTable, vocab: Vocabulary, regions: Sequence[str]) -> FloatArray:
        """Members x requested regions."""
        codes = vocab.region_codes(regions)
        known = codes >= 0
        region = np.zeros(len(regions))
        region[known] = self.region[codes[known]]
        weights = np.zeros((len(regions), self.interaction.shape[1]))
        weights[known] = self.interaction[codes[known]]
        member = main_block(table, vocab) @ self.main + self.intercept
        out: FloatArray = member[:, None] + region[None, :] + interaction_block(table) @ weights.T
        return out


BOOSTING_COLUMNS = (
    "region", "origin", "occupation", "isced", "education_unknown", "age", "female", "experience", "kazakh",
    "russian", "size", "children", "young_children", "pensioners", "working",
)
BOOSTING_CATEGORICAL = np.array([name in ("region", "origin", "occupation") for name in BOOSTING_COLUMNS])


def boosting_members(table: MemberTable, vocab: Vocabulary) -> FloatArray:
    """Members x BOOSTING_COLUMNS with the region column left empty (NaN) for the caller to fill."""
    return np.column_stack([
        np.full(table.n, np.nan), vocab.origin_codes(table.origin).astype(np.float64),
        table.occupation.astype(np.float64), table.isced, (table.education == EDUCATION_GROUPS.index("unknown")),
        table.age, table.female, table.experience, table.kazakh, table.russian, table.size, table.children,
        table.young_children, table.pensioners, table.working,
    ]).astype(np.float64)


def with_region(members: FloatArray, codes: IntArray) -> FloatArray:
    """The member rows with their region column set; a region outside the vocabulary is missing (NaN)."""
    out = members.copy()
    out[:, 0] = np.where(codes >= 0, codes, np.nan)
    return out
