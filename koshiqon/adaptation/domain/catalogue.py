"""The catalogue of services that centres give (domain.md §3: about 25 kinds by 2024, M), as data.

Each service has a stable code, a group, its name in Kazakh, Russian and English, the number of days after
arrival by which a referral to it is due unless staff set another date (`due_days`, confidence L: no act
sets these terms), and whether it is a course (a course has a number of places at each centre).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
MAX_DUE_DAYS = 365


class Group(StrEnum):
    INFORMATION = "information"  # information, translation, documents
    LEGAL = "legal"  # legal aid: status, citizenship, benefits, quota
    LEARNING = "learning"  # courses: state language, history, culture, law, small business
    EMPLOYMENT = "employment"  # employment help, vocational training, retraining
    SOCIAL = "social"  # psychologist, medical referral, housing, schools, social support
    CULTURE = "culture"  # cultural events


@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    group: Group
    name_kk: str
    name_ru: str
    name_en: str
    due_days: int
    is_course: bool
    order: int


def parse_entry(cells: Mapping[str, str], order: int) -> tuple[CatalogueEntry | None, list[str]]:
    """One row of the catalogue file, or the problems that refuse it (plain English: the file is ours)."""
    problems: list[str] = []
    code = cells.get("code", "").strip()
    if not CODE.match(code):
        problems.append(f"code “{code}” must be lower-case letters, digits and _, starting with a letter")
    group = cells.get("group", "").strip()
    if group not in {g.value for g in Group}:
        problems.append(f"group must be one of {', '.join(g.value for g in Group)}, not “{group}”")
    names = {lang: cells.get(f"name_{lang}", "").strip() for lang in ("kk", "ru", "en")}
    problems += [f"empty name_{lang}" for lang, name in names.items() if not name]
    due = cells.get("due_days", "").strip()
    if not due.isdigit() or int(due) > MAX_DUE_DAYS:
        problems.append(f"due_days must be a whole number of days, 0 to {MAX_DUE_DAYS}, not “{due}”")
    course = cells.get("is_course", "").strip()
    if course not in ("0", "1"):
        problems.append(f"is_course must be 0 or 1, not “{course}”")
    if problems:
        return None, problems
    entry = CatalogueEntry(code, Group(group), names["kk"], names["ru"], names["en"], int(due), course == "1", order)
    return entry, []
