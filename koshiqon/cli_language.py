"""The language of the file commands (`koshiqon kandas rank`, `koshiqon placement solve`), without Django.

These commands run without settings or a database, so they translate with Python's own `gettext` module from
the project's compiled catalogues (koshiqon/locale/<lang>/LC_MESSAGES/django.mo, the same ones the web uses;
`make compiled-messages` builds them). Their strings are marked with `gettext` (or `_`), `ngettext` and
`gettext_noop` from here, which makemessages extracts like any other.

The language is `--language kk|ru|en`, else the environment variable KOSHIQON_LANGUAGE, else LC_ALL,
LC_MESSAGES or LANG (the first one set) when it starts with kk, ru or en, else Kazakh: the house default.
Numbers are written the way the language writes them (Kazakh and Russian: "1 234 567,5", through Babel's
CLDR data, as the web's `kznumber` does); in English they stay as Python writes them.
"""

import gettext as _gettext
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path

LANGUAGES = ("kk", "ru", "en")
DEFAULT_LANGUAGE = "kk"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "django"

_active: dict[str, object] = {"language": DEFAULT_LANGUAGE, "translations": _gettext.NullTranslations()}


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """KOSHIQON_LANGUAGE when it names one of ours, else the locale (the first of LC_ALL, LC_MESSAGES, LANG
    that is set) when it starts with kk, ru or en, else Kazakh."""
    environ = os.environ if environ is None else environ
    chosen = environ.get("KOSHIQON_LANGUAGE", "").strip().lower()[:2]
    if chosen in LANGUAGES:
        return chosen
    locale = next((environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(name)), "")
    return locale[:2].lower() if locale[:2].lower() in LANGUAGES else DEFAULT_LANGUAGE


@cache
def translations(language: str, localedir: str = str(LOCALE_DIR)) -> _gettext.NullTranslations:
    """The compiled catalogue of a language; English (or a missing catalogue) translates nothing."""
    if language == "en":
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, localedir=localedir, languages=[language], fallback=True)


def active_language() -> str:
    return str(_active["language"])


@contextmanager
def override(language: str | None, localedir: Path | None = None) -> Iterator[str]:
    """Translate in `language` (None: the one the environment asks for) until the block ends."""
    language = language or language_from_environment()
    previous = dict(_active)
    _active["language"] = language
    _active["translations"] = translations(language, str(localedir or LOCALE_DIR))
    try:
        yield language
    finally:
        _active.update(previous)


def gettext(message: str) -> str:
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _translations().ngettext(singular, plural, count)


def gettext_noop(message: str) -> str:
    """Marks a string for makemessages where it is defined; translate it with `gettext` where it is used."""
    return message


_ = gettext


def _translations() -> _gettext.NullTranslations:
    chosen = _active["translations"]
    assert isinstance(chosen, _gettext.NullTranslations)
    return chosen


def number(value: float, decimals: int | None = None) -> str:
    """A number in the active language: Kazakh and Russian group thousands with a no-break space and write a
    decimal comma; English as Python writes it (`decimals` places, or as it is)."""
    language = active_language()
    if language == "en":
        return f"{value:.{decimals}f}" if decimals is not None else str(value)
    from babel.numbers import format_decimal  # loads CLDR data: only when a number is written

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") if decimals is not None else None
    return format_decimal(value, format=pattern, locale=language, decimal_quantization=decimals is not None)


def percent(value: float, decimals: int) -> str:
    """A fraction as a percentage in the active language (English: Python's `.N%`)."""
    language = active_language()
    if language == "en":
        return f"{value:.{decimals}%}"
    from babel.numbers import format_percent

    return format_percent(value, format="#,##0." + "0" * decimals + "%", locale=language)


def column_widths(labels: Sequence[str], minimum: Sequence[int]) -> list[int]:
    """A terminal table's column widths: each at least its minimum and wide enough for its label in the active
    language (with two spaces before a right-aligned one)."""
    return [max(width, len(label) + (0 if k == 0 else 2))
            for k, (width, label) in enumerate(zip(minimum, labels, strict=True))]


def table_row(first: str, cells: Sequence[str], widths: Sequence[int]) -> str:
    """One line of a terminal table: the first cell left-aligned, the others right-aligned."""
    return f"{first:<{widths[0]}}" + "".join(f"{cell:>{width}}" for cell, width in zip(cells, widths[1:], strict=True))


def file_error(file: str, line: int | None, field: str | None, message: str) -> str:
    """ "FILE, line N, field F: message" in the active language (line and field only when known)."""
    where = [file]
    if line is not None:
        where.append(gettext("line {line}").format(line=line))
    if field:
        where.append(gettext("field {field}").format(field=field))
    return f"{', '.join(where)}: {message}"


def translated(template: str, params: Mapping[str, object], known: frozenset[str], english: str) -> str:
    """A file error's message in the active language: its English `template` translated when the command
    knows it (`known`, marked with gettext_noop), then filled with `params`; otherwise, or when a translation
    does not fit its placeholders, the `english` message as the reader code built it."""
    if template not in known:
        return english
    try:
        return gettext(template).format(**params) if params else gettext(template)
    except (KeyError, IndexError, ValueError, AttributeError):
        return english
