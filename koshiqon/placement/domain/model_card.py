"""The model card of a placement outcome model: what it was trained on, how well it does on families it never
saw, and what it cannot know. Everything a page needs, as plain data that survives a JSON round trip.

Figures are computed on the held-out families (a hash of the seed and the family id decides, see
features.in_holdout), member by member: AUC (how well the model ranks a member who found work above one who
did not: 0.5 is chance), log loss and Brier score (how close the probabilities are), calibration bins (among
members given about 30%, did about 30% find work?) and, per region, the predicted against the observed rate.
"""

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from sklearn.metrics import log_loss, roc_auc_score

from koshiqon.placement.domain.features import FEATURES, BoolArray, FloatArray, IntArray, Text

CALIBRATION_BINS = 10

LIMITATIONS: tuple[Text, ...] = (
    Text(
        "Модель бұрынғы отбасылардың нақты қоныстанған жерінен үйренеді: бұрын аз отбасы барған өңірлер "
        "бойынша болжам сенімділігі төмен (өңірлер кестесіндегі оқыту санын қараңыз).",
        "Модель учится на том, где семьи действительно поселились: для регионов, куда раньше приезжало мало "
        "семей, прогноз менее надёжен (см. число обучающих наблюдений в таблице регионов).",
        "The model learns from where families actually settled: predictions for regions that received few "
        "families are less reliable (see the training counts in the region table)."),
    Text(
        "Бұл себеп емес, байланыс: отбасылар өңірді жұмыс мүмкіндігіне байланысты себептермен (туыстар, "
        "алдын ала келісілген жұмыс) таңдаса, басқа өңірге орналастырудың әсері дұрыс бағаланбауы мүмкін.",
        "Это связь, а не причина: если семьи выбирали регион по причинам, связанным с их шансами (родственники, "
        "заранее найденная работа), эффект размещения в другом регионе может быть оценён неверно.",
        "It measures association, not cause: where families chose a region for reasons tied to their chances "
        "(relatives, a job arranged), the effect of placing a family elsewhere may be misjudged."),
    Text(
        "Модель осы жылғы еңбек нарығын, бос жұмыс орындарын және тұрғын үйді білмейді; оларды өңірлердің "
        "сыйымдылығы білдіреді.",
        "Модель не знает о рынке труда, вакансиях и жилье текущего года; их отражают ёмкости регионов.",
        "The model does not know this year's labour market, vacancies or housing; the regions' capacities "
        "stand for them."),
    Text(
        "12 айдан кейінгі нәтижесі тіркелмеген адамдар оқытудан шығарылады; олар басқалардан өзгеше болса, "
        "көрсеткіштер ығысуы мүмкін.",
        "Члены семей без записанного результата через 12 месяцев исключены из обучения; если они отличаются от "
        "остальных, показатели могут быть смещены.",
        "Members without a recorded 12-month outcome are left out of training; if they differ from the others, "
        "the rates may be biased."),
    Text(
        "Отбасының бағасы — жұмысқа орналасатын мүшелердің күтілетін саны (ықтималдықтардың қосындысы); "
        "отбасы мүшелерінің нәтижелері арасындағы байланыс ескерілмейді.",
        "Оценка семьи — ожидаемое число трудоустроенных членов (сумма вероятностей); связь между исходами "
        "членов одной семьи не моделируется.",
        "A family's score is the expected number of members employed (the sum of probabilities); how members' "
        "outcomes go together is not modelled."),
    Text(
        "Модель адам туралы шешім қабылдамайды: ол орналастыру нұсқаларын салыстыруға көмектеседі, шешімді "
        "қызметкер қабылдайды.",
        "Модель не принимает решений о человеке: она помогает сравнить варианты размещения, решение принимает "
        "сотрудник.",
        "The model decides nothing about a person: it helps compare placements; an officer decides."),
)
DEMO_LIMITATION = Text(
    "Демо: модель ойдан шығарылған «шынайы» модель жасаған синтетикалық деректерге оқытылды; көрсеткіштер "
    "нақты қандастар туралы ештеңе дәлелдемейді.",
    "Демо: модель обучена на синтетических данных, созданных условной «истинной» моделью; показатели ничего не "
    "говорят о реальных кандасах.",
    "Demo: the model was trained on synthetic data made by an illustrative ground-truth model; its figures say "
    "nothing about real kandas.")


@dataclass(frozen=True)
class CalibrationBin:
    lower: float
    upper: float
    count: int
    mean_predicted: float
    observed_rate: float


@dataclass(frozen=True)
class RegionError:
    """Held-out members who settled in one region: predicted against observed employment."""

    region: str
    families: int
    members: int
    train_members: int
    predicted_rate: float
    observed_rate: float
    brier: float
    auc: float | None  # None when the region's held-out members are all employed or all not


@dataclass(frozen=True)
class Candidate:
    """A model tried on the validation part of the training families."""

    kind: str
    params: dict[str, Any]
    auc: float | None
    log_loss: float
    brier: float
    seconds: float
    chosen: bool


@dataclass(frozen=True)
class Scores:
    auc: float | None  # None when the members are all employed or all not
    log_loss: float
    brier: float
    base_rate: float
    mean_predicted: float


@dataclass(frozen=True)
class ModelCard:
    kind: str
    target: str
    working_age: tuple[int, int]  # first age, pension age (excluded)
    seed: int
    holdout_share: float
    trained_at: str  # ISO date-time
    training_seconds: float
    families: int  # with at least one labelled working-age member
    members: int
    train_families: int
    train_members: int
    test_families: int
    test_members: int
    test: Scores
    reference_auc: float | None  # the ground truth's AUC on the same held-out members (demo data only)
    family_mae: float  # mean |expected employed - employed| per held-out family
    calibration: tuple[CalibrationBin, ...]
    regions: tuple[RegionError, ...]
    regions_without_history: tuple[str, ...]
    candidates: tuple[Candidate, ...]
    hyperparameters: dict[str, Any]
    libraries: dict[str, str]
    features: tuple[tuple[str, Text], ...] = FEATURES
    limitations: tuple[Text, ...] = LIMITATIONS

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["features"] = [{"name": n, **t.as_dict()} for n, t in self.features]
        data["limitations"] = [t.as_dict() for t in self.limitations]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ModelCard":
        d = dict(data)
        d["working_age"] = tuple(d["working_age"])
        d["test"] = Scores(**d["test"])
        d["calibration"] = tuple(CalibrationBin(**b) for b in d["calibration"])
        d["regions"] = tuple(RegionError(**r) for r in d["regions"])
        d["regions_without_history"] = tuple(d["regions_without_history"])
        d["candidates"] = tuple(Candidate(**c) for c in d["candidates"])
        d["features"] = tuple(
            (f["name"], Text(kk=f["kk"], ru=f["ru"], en=f["en"])) for f in d["features"]
        )
        d["limitations"] = tuple(Text(**t) for t in d["limitations"])
        return cls(**d)


def scores(p: FloatArray, y: BoolArray) -> Scores:
    both = bool(y.any() and not y.all())
    return Scores(
        auc=float(roc_auc_score(y, p)) if both else None,
        log_loss=float(log_loss(y, np.clip(p, 1e-9, 1 - 1e-9), labels=[False, True])),
        brier=float(np.mean((p - y) ** 2)), base_rate=float(y.mean()), mean_predicted=float(p.mean()),
    )


def calibration(p: FloatArray, y: BoolArray, bins: int = CALIBRATION_BINS) -> tuple[CalibrationBin, ...]:
    """Equal-width bins of predicted probability; empty bins are left out, so the counts sum to the members."""
    which = np.minimum((p * bins).astype(np.int64), bins - 1)
    out = []
    for b in range(bins):
        mask = which == b
        if mask.any():
            out.append(CalibrationBin(
                lower=b / bins, upper=(b + 1) / bins, count=int(mask.sum()),
                mean_predicted=float(p[mask].mean()), observed_rate=float(y[mask].mean()),
            ))
    return tuple(out)


def region_errors(
    p: FloatArray, y: BoolArray, regions: Sequence[str], family_index: IntArray, train_regions: Sequence[str],
) -> tuple[RegionError, ...]:
    """One row per region with held-out members, in code order."""
    region_array = np.asarray(regions, dtype=str)
    trained = dict(zip(*np.unique(np.asarray(train_regions, dtype=str), return_counts=True), strict=True))
    out = []
    for code in sorted(set(regions)):
        mask = region_array == code
        yr, pr = y[mask], p[mask]
        both = bool(yr.any() and not yr.all())
        out.append(RegionError(
            region=code, families=int(np.unique(family_index[mask]).shape[0]), members=int(mask.sum()),
            train_members=int(trained.get(code, 0)), predicted_rate=float(pr.mean()),
            observed_rate=float(yr.mean()), brier=float(np.mean((pr - yr) ** 2)),
            auc=float(roc_auc_score(yr, pr)) if both else None,
        ))
    return tuple(out)


def family_mae(p: FloatArray, y: BoolArray, family_index: IntArray) -> float:
    """Mean absolute difference, per family, between expected and actual numbers of members employed."""
    families, inverse = np.unique(family_index, return_inverse=True)
    expected = np.bincount(inverse, weights=p)
    actual = np.bincount(inverse, weights=y.astype(np.float64))
    return float(np.abs(expected - actual).mean()) if families.shape[0] else 0.0
