"""Names of the employers' sectors (sections A-U of the General Classifier of Economic Activities, which
follows NACE Rev. 2) in three languages, from data/sectors.csv. Read once per process: the file ships with
the code and changes only with it."""

import csv
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

DATA = Path(__file__).resolve().parent / "data" / "sectors.csv"


@cache
def _names() -> dict[str, dict[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: {lang: row[f"name_{lang}"] for lang in ("kk", "ru", "en")} for row in csv.DictReader(handle)}


def sector_choices(language: str | None = None) -> list[tuple[str, str]]:
    lang = (language or get_language() or "kk")[:2]
    return [(code, f"{code}: {names.get(lang) or names['kk']}") for code, names in _names().items()]


def sector_name(code: str, language: str | None = None) -> str:
    lang = (language or get_language() or "kk")[:2]
    names = _names().get(code)
    return (names.get(lang) or names["kk"]) if names else code
