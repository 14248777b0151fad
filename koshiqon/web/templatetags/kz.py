"""Dates and numbers written the way each interface language writes them.

Django ships no Kazakh formats, so dates and numbers go through Babel (CLDR data): Kazakh writes
"2026 ж. 24 қараша", Russian "24 ноября 2026 г.", English "November 24, 2026".
"""

from datetime import date, datetime

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from django import template
from django.utils import timezone
from django.utils.translation import get_language

register = template.Library()

DEFAULT_LOCALE = "kk"


def _locale() -> str:
    return (get_language() or DEFAULT_LOCALE).split("-")[0]


@register.filter
def kzdate(value, style: str = "long") -> str:
    """A date (or the local date of an aware datetime) in the current language: "long", "medium" or "short"."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if not isinstance(value, date):
        return str(value)
    return format_date(value, style, locale=_locale())


@register.filter
def kzdatetime(value, style: str = "medium") -> str:
    """A moment in Almaty time (the project's time zone), in the current language."""
    if value in (None, ""):
        return ""
    if not isinstance(value, datetime):
        return str(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return format_datetime(value, style, locale=_locale())


@register.filter
def kznumber(value) -> str:
    """A number with the current language's grouping and decimal signs (Kazakh and Russian: "1 234 567,5")."""
    if value in (None, ""):
        return ""
    try:
        return format_decimal(value, locale=_locale())
    except (TypeError, ValueError, ArithmeticError):
        return str(value)
