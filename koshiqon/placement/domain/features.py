"""What the placement outcome model knows of a family and of each member, and how it becomes numbers.

The caller (the placement services) builds the facts from kandas applications: each member's age on arrival,
sex, ISCED 2011 education level, ISCO-08 occupation, years of experience and levels of Kazakh and Russian; the
family's country of origin (ISO 3166-1 alpha-2) and size; and, for past arrivals, the region where the family
settled (ISO 3166-2:KZ) and each member's recorded outcomes (employed at 3, 6 and 12 months, still living in
the region after 12 months; domain.md §3).

The model is trained on, and predicts for, members of working age only: 16 to 62 on arrival (the age groups
of Kazakhstan's statistics; the pension age is 63 for men and women's is being raised towards it, so 63 is
used for everyone, as in the kandas criteria: L, a simplification). `WorkingAge` makes both bounds a
parameter.

Pure Python and NumPy: the member table is built once per call, column by column, so that scoring 100,000
families in 20 regions is a few array operations rather than two million Python calls.
"""

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

LANGUAGE_LEVELS = ("none", "basic", "fluent")
SEXES = ("M", "F")
# ISCED 2011 levels grouped as domain.md §2 counts the kandas' education: none (primary or less), general
# secondary, specialised secondary (post-secondary and short-cycle tertiary), higher; and "not recorded".
EDUCATION_GROUPS = ("none", "general", "specialised", "higher", "unknown")
_EDUCATION_GROUP = {"0": 0, "1": 0, "2": 0, "3": 1, "4": 2, "5": 2, "6": 3, "7": 3, "8": 3, "": 4}
# ISCO-08 major groups 0-9, and 10 for a member with no recorded occupation.
NO_OCCUPATION = 10
OCCUPATION_GROUPS = 11
YOUNG_CHILD_AGE = 7  # children not yet at school keep a parent, mostly the mother, at home
MAX_EXPERIENCE = 45.0


@dataclass(frozen=True)
class Text:
    """A sentence in the three languages of the system (Kazakh first)."""

    kk: str
    ru: str
    en: str

    def get(self, language: str) -> str:
        return str(getattr(self, (language or "kk")[:2], "") or self.kk)

    def as_dict(self) -> dict[str, str]:
        return {"kk": self.kk, "ru": self.ru, "en": self.en}


@dataclass(frozen=True)
class WorkingAge:
    """Ages `first` to `pension - 1` on arrival are of working age (16 to 62 by default)."""

    first: int = 16
    pension: int = 63

    def __post_init__(self) -> None:
        if not 0 <= self.first < self.pension:
            raise ValueError(f"working age must start before pension age, got {self.first}-{self.pension}")

    def includes(self, age: int) -> bool:
        return self.first <= age < self.pension


class FactsError(ValueError):
    """A family's facts cannot be read: the message names the family, the member and the field."""


@dataclass(frozen=True)
class MemberFacts:
    """One member of a family as the model reads them: age on arrival, sex ("M"/"F"), ISCED 2011 level ("" when
    not recorded), ISCO-08 code of any length ("" for none), years of experience, Kazakh and Russian levels."""

    age: int
    sex: str
    education: str = ""
    occupation: str = ""
    experience_years: float = 0.0
    kazakh: str = "none"
    russian: str = "none"


@dataclass(frozen=True)
class FamilyFacts:
    """A family: its id (any stable string), country of origin (alpha-2), size in persons (may exceed the members
    described, e.g. a member whose file is incomplete) and its members."""

    id: str
    origin: str
    size: int
    members: tuple[MemberFacts, ...]


@dataclass(frozen=True)
class Outcome:
    """What was recorded of one member after settling in `region`: employed at 3, 6 and 12 months and still
    living in the region after 12 months. None: not recorded (yet)."""

    family_id: str
    member_index: int
    region: str
    employed_3m: bool | None = None
    employed_6m: bool | None = None
    employed_12m: bool | None = None
    stayed_12m: bool | None = None


@dataclass(frozen=True)
class MemberTable:
    """The working-age members of a list of families, one array per column, in family then member order.

    `family_index` points into the family list; the family columns (origin, size, children...) are repeated on
    each member so that the model can see family composition next to the member's own facts."""

    family_index: IntArray
    member_index: IntArray
    age: FloatArray
    female: FloatArray
    isced: FloatArray  # NaN when not recorded
    education: IntArray  # index into EDUCATION_GROUPS
    occupation: IntArray  # ISCO-08 major group, NO_OCCUPATION for none
    experience: FloatArray
    kazakh: IntArray  # index into LANGUAGE_LEVELS
    russian: IntArray
    origin: tuple[str, ...]  # per member
    size: FloatArray
    children: FloatArray  # members under working age
    young_children: FloatArray  # members under YOUNG_CHILD_AGE
    pensioners: FloatArray
    working: FloatArray  # working-age members of the family
    n_families: int
    working_per_family: IntArray = field(repr=False)

    @property
    def n(self) -> int:
        return int(self.family_index.shape[0])


def _level(value: str, *, family: str, index: int, name: str) -> int:
    try:
        return LANGUAGE_LEVELS.index(value or "none")
    except ValueError:
        raise FactsError(
            f"family {family} member {index}: {name} must be one of {', '.join(LANGUAGE_LEVELS)}, got {value!r}"
        ) from None


def member_table(families: Sequence[FamilyFacts], working_age: WorkingAge | None = None) -> MemberTable:
    """The working-age members of `families` as columns. Raises FactsError on a value the model cannot read."""
    wa = working_age or WorkingAge()
    cols: dict[str, list[float]] = {k: [] for k in (
        "fam", "idx", "age", "female", "isced", "edu", "occ", "exp", "kk", "ru",
        "size", "children", "young", "pensioners", "working",
    )}
    origins: list[str] = []
    working_per_family = np.zeros(len(families), dtype=np.int64)
    for f_i, fam in enumerate(families):
        if fam.size < len(fam.members) or fam.size < 1:
            raise FactsError(f"family {fam.id}: size {fam.size} is less than its {len(fam.members)} members")
        ages = [m.age for m in fam.members]
        if any(a < 0 or a > 120 for a in ages):
            raise FactsError(f"family {fam.id}: an age is outside 0-120")
        children = sum(1 for a in ages if a < wa.first)
        young = sum(1 for a in ages if a < YOUNG_CHILD_AGE)
        pensioners = sum(1 for a in ages if a >= wa.pension)
        working = len(ages) - children - pensioners
        working_per_family[f_i] = working
        origin = (fam.origin or "").upper()
        for m_i, m in enumerate(fam.members):
            if not wa.includes(m.age):
                continue
            if m.sex not in SEXES:
                raise FactsError(f"family {fam.id} member {m_i}: sex must be M or F, got {m.sex!r}")
            edu = _EDUCATION_GROUP.get(m.education or "")
            if edu is None:
                raise FactsError(f"family {fam.id} member {m_i}: unknown ISCED level {m.education!r}")
            occ = m.occupation or ""
            if occ and not occ[0].isdigit():
                raise FactsError(f"family {fam.id} member {m_i}: ISCO-08 code must be digits, got {occ!r}")
            exp = float(m.experience_years)
            if exp < 0:
                raise FactsError(f"family {fam.id} member {m_i}: experience cannot be negative")
            cols["fam"].append(f_i)
            cols["idx"].append(m_i)
            cols["age"].append(m.age)
            cols["female"].append(1.0 if m.sex == "F" else 0.0)
            cols["isced"].append(float(m.education) if m.education else np.nan)
            cols["edu"].append(edu)
            cols["occ"].append(int(occ[0]) if occ else NO_OCCUPATION)
            cols["exp"].append(min(exp, MAX_EXPERIENCE))
            cols["kk"].append(_level(m.kazakh, family=fam.id, index=m_i, name="Kazakh"))
            cols["ru"].append(_level(m.russian, family=fam.id, index=m_i, name="Russian"))
            cols["size"].append(fam.size)
            cols["children"].append(children)
            cols["young"].append(young)
            cols["pensioners"].append(pensioners)
            cols["working"].append(working)
            origins.append(origin)

    def f(name: str) -> FloatArray:
        return np.asarray(cols[name], dtype=np.float64)

    def i(name: str) -> IntArray:
        return np.asarray(cols[name], dtype=np.int64)

    return MemberTable(
        family_index=i("fam"), member_index=i("idx"), age=f("age"), female=f("female"), isced=f("isced"),
        education=i("edu"), occupation=i("occ"), experience=f("exp"), kazakh=i("kk"), russian=i("ru"),
        origin=tuple(origins), size=f("size"), children=f("children"), young_children=f("young"),
        pensioners=f("pensioners"), working=f("working"), n_families=len(families),
        working_per_family=working_per_family,
    )


@dataclass(frozen=True)
class Labelled:
    """The working-age members that have a recorded label, with the region they settled in."""

    families: tuple[FamilyFacts, ...]  # the families that have at least one outcome
    table: MemberTable  # their labelled working-age members only
    rows: IntArray  # where each labelled member is in member_table(families)
    family_regions: tuple[str, ...]  # where each family settled
    region: tuple[str, ...]  # per member
    label: BoolArray


def settled_regions(outcomes: Iterable[Outcome]) -> dict[str, str]:
    """Family id -> the region its outcomes were recorded in. A family recorded in two regions is an error."""
    regions: dict[str, str] = {}
    for o in outcomes:
        if regions.setdefault(o.family_id, o.region) != o.region:
            raise FactsError(f"family {o.family_id}: outcomes recorded in two regions")
    return regions


TARGETS = ("employed_12m", "employed_12m_in_region")


def label_of(outcome: Outcome, target: str) -> bool | None:
    """The label a target reads: employed at 12 months; or employed at 12 months and still living in the
    region (a member who left counts as a placement that did not hold)."""
    if target == "employed_12m":
        return outcome.employed_12m
    if target == "employed_12m_in_region":
        if outcome.employed_12m is None or outcome.stayed_12m is None:
            return None
        return outcome.employed_12m and outcome.stayed_12m
    raise ValueError(f"unknown target {target!r}; one of {', '.join(TARGETS)}")


def labelled(
    families: Sequence[FamilyFacts], outcomes: Iterable[Outcome], *,
    working_age: WorkingAge | None = None, target: str = "employed_12m",
) -> Labelled:
    """Join families and outcomes: one row per working-age member whose label is recorded. Members without
    an outcome (not 12 months yet, lost contact) are left out rather than counted as not employed."""
    by_member: dict[tuple[str, int], Outcome] = {(o.family_id, o.member_index): o for o in outcomes}
    regions = settled_regions(by_member.values())
    kept = tuple(f for f in families if f.id in regions)
    table = member_table(kept, working_age)
    rows: list[int] = []
    labels: list[bool] = []
    member_regions: list[str] = []
    for row, (f_i, m_i) in enumerate(zip(table.family_index, table.member_index, strict=True)):
        fam = kept[int(f_i)]
        outcome = by_member.get((fam.id, int(m_i)))
        value = label_of(outcome, target) if outcome else None
        if value is None:
            continue
        rows.append(row)
        labels.append(value)
        member_regions.append(regions[fam.id])
    return Labelled(
        families=kept, table=take(table, np.asarray(rows, dtype=np.int64)), rows=np.asarray(rows, dtype=np.int64),
        family_regions=tuple(regions[f.id] for f in kept),
        region=tuple(member_regions), label=np.asarray(labels, dtype=np.bool_),
    )


def take(table: MemberTable, rows: IntArray) -> MemberTable:
    """The same table restricted to `rows` (the family columns and counts are unchanged)."""
    return MemberTable(
        family_index=table.family_index[rows], member_index=table.member_index[rows], age=table.age[rows],
        female=table.female[rows], isced=table.isced[rows], education=table.education[rows],
        occupation=table.occupation[rows], experience=table.experience[rows], kazakh=table.kazakh[rows],
        russian=table.russian[rows], origin=tuple(table.origin[int(r)] for r in rows), size=table.size[rows],
        children=table.children[rows], young_children=table.young_children[rows],
        pensioners=table.pensioners[rows], working=table.working[rows], n_families=table.n_families,
        working_per_family=table.working_per_family,
    )


def in_holdout(family_id: str, *, seed: int, share: float) -> bool:
    """Whether a family is held out of training. Decided by a hash of the seed and the family id, so that the
    split does not depend on the order of the families and anyone with the seed can redo it."""
    digest = hashlib.sha256(f"{seed}:{family_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


def region_codes(values: Iterable[str], known: Sequence[str]) -> IntArray:
    """Index of each region in `known`; -1 for a region not in it."""
    lookup: Mapping[str, int] = {code: i for i, code in enumerate(known)}
    return np.asarray([lookup.get(v, -1) for v in values], dtype=np.int64)


def sum_by_family(family_index: IntArray, n_families: int, values: FloatArray) -> FloatArray:
    """Members x columns -> families x columns, summing each family's members (0 for a family with none)."""
    out = np.zeros((n_families, values.shape[1]))
    for col in range(values.shape[1]):
        out[:, col] = np.bincount(family_index, weights=values[:, col], minlength=n_families)
    return out


FEATURES: tuple[tuple[str, Text], ...] = (
    ("region", Text(
        "Отбасы қоныстанған өңір",
        "Регион, в котором семья поселилась",
        "Region where the family settled")),
    ("age", Text(
        "Келген кездегі жасы (16-62)",
        "Возраст на дату прибытия (16-62)",
        "Age on arrival (16-62)")),
    ("sex", Text("Жынысы", "Пол", "Sex")),
    ("education", Text(
        "Білім деңгейі (ISCED 2011): бастауыш немесе одан төмен, жалпы орта, арнаулы орта, жоғары, көрсетілмеген",
        "Уровень образования (ISCED 2011): начальное или ниже, общее среднее, среднее специальное, высшее, не указано",
        "Education level (ISCED 2011): primary or less, general secondary, specialised secondary, higher, "
        "not recorded")),
    ("occupation", Text(
        "Кәсібінің негізгі тобы (ISCO-08, 0-9) немесе кәсібі жоқ",
        "Основная группа занятия (ISCO-08, 0-9) или нет занятия",
        "Occupation major group (ISCO-08, 0-9), or no occupation")),
    ("experience", Text(
        "Жұмыс өтілі, жыл (45 жылдан асса 45)",
        "Стаж работы, лет (свыше 45 считается как 45)",
        "Years of work experience (capped at 45)")),
    ("kazakh", Text(
        "Қазақ тілін білу деңгейі: білмейді, базалық, еркін",
        "Владение казахским языком: не владеет, базовое, свободное",
        "Kazakh language: none, basic, fluent")),
    ("russian", Text(
        "Орыс тілін білу деңгейі: білмейді, базалық, еркін",
        "Владение русским языком: не владеет, базовое, свободное",
        "Russian language: none, basic, fluent")),
    ("origin", Text(
        "Отбасы келген ел (аз кездесетін елдер «басқа» тобына біріктіріледі)",
        "Страна, из которой прибыла семья (редкие страны объединены в «другие»)",
        "Country the family came from (rare countries grouped as 'other')")),
    ("family", Text(
        "Отбасы құрамы: адам саны, балалар, мектепке дейінгі балалар, зейнеткерлер, еңбекке қабілетті жастағылар",
        "Состав семьи: число членов, детей, детей дошкольного возраста, пенсионеров и лиц трудоспособного возраста",
        "Family composition: size, children, children under school age, pensioners, members of working age")),
    ("region_interactions", Text(
        "Өңір мен білімнің, кәсіптің, тілдердің, жыныстың және өтілдің өзара әсері: бір адамға әр өңірде әртүрлі "
        "мүмкіндік",
        "Взаимодействие региона с образованием, занятием, языками, полом и стажем: у одного человека разные шансы "
        "в разных регионах",
        "Region x education, occupation, languages, sex and experience: the same person has different chances in "
        "different regions")),
)
