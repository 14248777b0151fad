"""Policy versions: the rules of a mechanism as effective-dated data (domain.md §0, architecture.md rule 4).

Every rule of the migration policy changed several times between 2007 and 2026, so no rule is hard-coded: a
policy version holds a mechanism's parameters with the dates it was in force and its legal basis (act, number,
date), and a case is decided under the version in force on its relevant date. `valid_to` is the last day in
force (inclusive); an open version (`valid_to` None) runs until it is closed. Two versions of one kind must
never be in force on the same day.

Each mechanism registers a pydantic model for its parameters; `validate_parameters` returns problems as
stable codes (pydantic's error types) with the field path, so that the Django layer can word them in the
user's language.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from math import isfinite
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError


@dataclass(frozen=True)
class PolicyDoc:
    """One version of a mechanism's rules, as decisions use it: pure data, independent of storage.

    `title` and `legal_act` are in the language the document was read in; `titles` and `legal_acts` hold the
    wording by language ("kk", "ru", "en"; a language may be empty) for texts written in all three.
    """

    kind: str
    code: str
    title: str
    valid_from: date
    valid_to: date | None
    legal_act: str
    legal_number: str = ""
    legal_date: date | None = None
    parameters: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)
    titles: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    legal_acts: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)

    def covers(self, on: date) -> bool:
        """In force on `on`: from `valid_from` to `valid_to`, both inclusive, open-ended when `valid_to` is None."""
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


class AmbiguousPolicyError(LookupError):
    """Two versions of one kind claim the same day: the data is wrong, and no decision may pick one."""


def in_force(docs: Iterable[PolicyDoc], kind: str, on: date) -> PolicyDoc | None:
    """The version of `kind` in force on `on`, or None when there is none.

    Raises AmbiguousPolicyError when two versions cover the day: choosing one silently would decide a case
    under rules picked by accident.
    """
    found = [doc for doc in docs if doc.kind == kind and doc.covers(on)]
    if len(found) > 1:
        codes = ", ".join(sorted(doc.code for doc in found))
        raise AmbiguousPolicyError(
            f"{len(found)} versions of {kind} are in force on {on.isoformat()}: {codes}"
        )
    return found[0] if found else None


def periods_overlap(a_from: date, a_to: date | None, b_from: date, b_to: date | None) -> bool:
    """True when two inclusive periods share at least one day (None ends a period never)."""
    return (a_to is None or b_from <= a_to) and (b_to is None or a_from <= b_to)


def overlaps(docs: Iterable[PolicyDoc]) -> list[tuple[PolicyDoc, PolicyDoc]]:
    """Every pair of versions of the same kind in force on a common day, earlier-starting version first."""
    by_kind: dict[str, list[PolicyDoc]] = defaultdict(list)
    for doc in docs:
        by_kind[doc.kind].append(doc)
    pairs: list[tuple[PolicyDoc, PolicyDoc]] = []
    for kind in sorted(by_kind):
        ordered = sorted(by_kind[kind], key=lambda d: (d.valid_from, d.code))
        for i, earlier in enumerate(ordered):
            for later in ordered[i + 1 :]:
                if earlier.valid_to is not None and later.valid_from > earlier.valid_to:
                    break  # sorted by start: no later version can reach back into `earlier` either
                pairs.append((earlier, later))
    return pairs


class Problem(NamedTuple):
    """One thing wrong with a version's parameters.

    `path` is the dotted field path ("quota.0.region"; "" for the document as a whole), `code` a stable error
    code (pydantic's error type, or a custom one raised by a schema with PydanticCustomError), `message`
    pydantic's English wording (a fallback for codes the user interface has no translation for) and
    `context` the values the wording refers to (a limit, the allowed choices).
    """

    path: str
    code: str
    message: str = ""
    context: Mapping[str, Any] = {}


_SCHEMAS: dict[str, type[BaseModel]] = {}


def register_schema(kind: str, model: type[BaseModel], *, replace: bool = False) -> None:
    """Declare the pydantic model that a kind's parameters must satisfy.

    A mechanism calls this once, when its app loads. Registering another model for a kind that has one is
    refused unless `replace` is set, so that two apps cannot silently fight over a kind. Schemas should set
    `model_config = ConfigDict(extra="forbid")` so that a misspelt parameter is an error, not ignored.
    """
    current = _SCHEMAS.get(kind)
    if current is not None and current is not model and not replace:
        raise ValueError(f"a parameter schema is already registered for {kind}: {current.__qualname__}")
    _SCHEMAS[kind] = model


def unregister_schema(kind: str) -> None:
    _SCHEMAS.pop(kind, None)


def schema_for(kind: str) -> type[BaseModel] | None:
    return _SCHEMAS.get(kind)


def registered_kinds() -> list[str]:
    return sorted(_SCHEMAS)


def _path(loc: Sequence[int | str]) -> str:
    return ".".join(str(part) for part in loc)


def _json_problems(value: Any, loc: tuple[int | str, ...]) -> list[Problem]:
    if value is None or isinstance(value, str | bool | int):
        return []
    if isinstance(value, float):
        return (
            []
            if isfinite(value)
            else [Problem(_path(loc), "finite_number", "Input should be a finite number")]
        )
    if isinstance(value, list | tuple):
        return [p for i, item in enumerate(value) for p in _json_problems(item, (*loc, i))]
    if isinstance(value, Mapping):
        problems: list[Problem] = []
        for key, item in value.items():
            if not isinstance(key, str):
                problems.append(Problem(_path((*loc, str(key))), "json_key", "Keys must be strings"))
            else:
                problems.extend(_json_problems(item, (*loc, key)))
        return problems
    return [Problem(_path(loc), "json_type", f"{type(value).__name__} is not a JSON value")]


def clean_parameters(kind: str, params: Any) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Check a version's parameters against the schema of its kind, and return them as they will be stored.

    For a registered kind the result is the model's JSON form (defaults filled in, dates as ISO strings), so
    that what is stored is exactly what was validated. An unregistered kind accepts any JSON object (a mapping
    with string keys and JSON values), unchanged: mechanisms that have not declared a schema yet can still
    keep their parameters as data. Returns (parameters, []) or (None, problems).
    """
    if not isinstance(params, Mapping):
        return None, [Problem("", "dict_type", "Input should be a valid dictionary")]
    model = _SCHEMAS.get(kind)
    if model is None:
        problems = _json_problems(params, ())
        return (None, problems) if problems else (dict(params), [])
    try:
        validated = model.model_validate(dict(params))
    except ValidationError as exc:
        return None, [
            Problem(_path(err["loc"]), err["type"], err["msg"], dict(err.get("ctx") or {}))
            for err in exc.errors()
        ]
    return validated.model_dump(mode="json"), []


def validate_parameters(kind: str, params: Any) -> list[Problem]:
    """The problems with a version's parameters; an empty list when they are valid. See `clean_parameters`."""
    return clean_parameters(kind, params)[1]
