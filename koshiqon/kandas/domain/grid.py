"""The kandas criteria grid: how an application's features turn into points (issue 3, domain.md §2).

The quota is "filled according to concrete criteria: level of education, qualification, professional
experience" (Concept of Migration Policy, 2007, and the rules of the quota after it); since the weights and
the criteria changed with almost every revision, the grid is policy data (architecture rule 4): a
`kandas.grid` PolicyVersion, and the GRID.json file of `koshiqon kandas rank`, are exactly this model.

A criterion reads one feature (`field`, a column of APPLICANTS.csv) and is one of three kinds:

- `map`: `points` maps a value (as text) to its points; a value not listed scores 0;
- `bands`: numeric ranges `[{"min": a, "max": b, "points": n}]`, `min` inclusive and `max` exclusive, either
  may be omitted; the first band that contains the value gives its points, none gives 0;
- `member`: `points` (a number) when the value is one of `values`, else 0.

`max` caps a criterion's points. The score is the sum of the criteria's points; an application whose score is
below `pass_mark` is ineligible. Errors carry stable codes (`grid_*`) and pydantic's location, which names the
criterion's index ("criteria.2.bands.0"); the messages also name the criterion's field.
"""

from datetime import date
from math import isfinite
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

Kind = Literal["map", "bands", "member"]
LANGUAGES = ("kk", "ru", "en")


def _finite(value: float, what: str) -> float:
    if not isfinite(value):
        raise PydanticCustomError("grid_not_finite", "{what} must be a finite number", {"what": what})
    return value


class Label(BaseModel):
    """A criterion's name in the three languages of the explanation (the decision is stored in all three)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kk: str = Field(min_length=1)
    ru: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Band(BaseModel):
    """A numeric range, `min` inclusive and `max` exclusive; an omitted bound is open."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min: float | None = None
    max: float | None = None
    points: float

    @field_validator("min", "max", "points")
    @classmethod
    def _finite_numbers(cls, value: float | None) -> float | None:
        return None if value is None else _finite(value, "a band's bounds and points")

    @model_validator(mode="after")
    def _ordered(self) -> "Band":
        if self.min is not None and self.max is not None and not self.min < self.max:
            raise PydanticCustomError(
                "grid_band_empty", "a band's min ({min}) must be below its max ({max})",
                {"min": self.min, "max": self.max},
            )
        return self

    def contains(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value < self.max)


class Criterion(BaseModel):
    """One criterion of the grid; which of `points`, `bands` and `values` it needs depends on its kind."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field: str = Field(min_length=1)
    kind: Kind
    points: dict[str, float] | float | None = None
    bands: list[Band] | None = None
    values: list[str] | None = None
    max: float | None = None
    label: Label | None = None

    @field_validator("values", mode="before")
    @classmethod
    def _values_as_text(cls, value: Any) -> Any:
        # A JSON grid may list codes as numbers ([6, 7]); the files carry text, so compare as text.
        if isinstance(value, list):
            return [str(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in value]
        return value

    @field_validator("max")
    @classmethod
    def _finite_cap(cls, value: float | None) -> float | None:
        return None if value is None else _finite(value, "max")

    @model_validator(mode="after")
    def _shape_of_kind(self) -> "Criterion":
        ctx = {"field": self.field, "kind": self.kind}
        if self.kind == "map":
            if not isinstance(self.points, dict) or not self.points:
                raise PydanticCustomError(
                    "grid_map_points",
                    "criterion '{field}': a map criterion needs points as an object of value: points", ctx,
                )
            for value, points in self.points.items():
                _finite(points, f"the points of '{value}'")
        elif self.kind == "bands":
            if not self.bands:
                raise PydanticCustomError(
                    "grid_bands_required", "criterion '{field}': a bands criterion needs a list of bands", ctx,
                )
        elif self.kind == "member":
            if isinstance(self.points, dict) or self.points is None or not self.values:
                raise PydanticCustomError(
                    "grid_member_shape",
                    "criterion '{field}': a member criterion needs a list of values and points as a number", ctx,
                )
            _finite(self.points, "points")
        unused = [
            name for name, kinds in (("points", ("map", "member")), ("bands", ("bands",)), ("values", ("member",)))
            if getattr(self, name) is not None and self.kind not in kinds
        ]
        if unused:
            raise PydanticCustomError(
                "grid_unused_key", "criterion '{field}': a {kind} criterion has no {key}", {**ctx, "key": unused[0]},
            )
        return self

    def name(self, lang: str) -> str:
        """The criterion's label in `lang`, or its field when the grid gives no label."""
        return getattr(self.label, lang) if self.label is not None else self.field

    def raw_points(self, value: Any) -> float:
        """Points before the cap, for one value; the row-by-row reference of the vectorised scoring."""
        if self.kind == "map":
            assert isinstance(self.points, dict)
            return self.points.get(as_text(value), 0.0)
        if self.kind == "member":
            assert isinstance(self.points, float) and self.values is not None
            return self.points if as_text(value) in self.values else 0.0
        assert self.bands is not None
        number = as_number(value)
        if number is None:
            return 0.0
        for band in self.bands:
            if band.contains(number):
                return band.points
        return 0.0

    def points_for(self, value: Any) -> float:
        points = self.raw_points(value)
        return points if self.max is None else min(points, self.max)


class Grid(BaseModel):
    """The criteria grid (GRID.json, or the parameters of a `kandas.grid` policy version)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    valid_from: date
    legal_basis: str = Field(min_length=1)
    pass_mark: float
    criteria: list[Criterion] = Field(min_length=1)

    @field_validator("pass_mark")
    @classmethod
    def _finite_pass_mark(cls, value: float) -> float:
        return _finite(value, "pass_mark")

    @model_validator(mode="after")
    def _one_criterion_per_field(self) -> "Grid":
        # The breakdown is keyed by field: two criteria on one field would overwrite each other's points.
        seen: set[str] = set()
        for criterion in self.criteria:
            if criterion.field in seen:
                raise PydanticCustomError(
                    "grid_duplicate_field", "two criteria read the field '{field}'", {"field": criterion.field},
                )
            seen.add(criterion.field)
        return self

    @property
    def fields(self) -> list[str]:
        return [c.field for c in self.criteria]


def as_text(value: Any) -> str:
    """A feature value as the text a map or member criterion compares: integers without a decimal point."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # Text is compared exactly as given: the file reader trims the cells, once, for the whole column.
    return value if isinstance(value, str) else str(value)


def as_number(value: Any) -> float | None:
    """A feature value as a number for bands; None (no band matches) when it is empty or not a number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        try:
            number = float(str(value).strip())
        except ValueError:
            return None
    return None if number != number else number  # NaN matches no band
