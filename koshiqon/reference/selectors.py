"""Reads of the reference data. Reference data is public within the system, so these take no user."""

from datetime import date

from django.db.models import Q, QuerySet

from koshiqon.core.models import DayTransfer, MciRate
from koshiqon.reference.models import Country, EducationLevel, Occupation, Region


def regions_on(on: date) -> QuerySet[Region]:
    """The regions and cities of national significance that existed on `on`, with their names loaded, so that
    `region.name_on(on)` gives the name they had that day (South Kazakhstan in 2007, Turkistan in 2026)."""
    return (
        Region.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .prefetch_related("names")
    )


def region_by_code(code: str) -> Region | None:
    """The region with this ISO 3166-2:KZ code ("KZ-61", case-insensitive), or None."""
    return Region.objects.prefetch_related("names").filter(code=code.strip().upper()).first()


def country_by_code(code: str) -> Country | None:
    """The country with this ISO 3166-1 alpha-2 ("KZ"), alpha-3 ("KAZ") or numeric ("398") code, or None."""
    code = code.strip().upper()
    if len(code) == 2:
        return Country.objects.filter(alpha2=code).first()
    if len(code) == 3:
        return (
            Country.objects.filter(numeric=code).first()
            if code.isdigit()
            else Country.objects.filter(alpha3=code).first()
        )
    return None


def occupations(level: int | None = None) -> QuerySet[Occupation]:
    """ISCO-08 groups in code order; `level` 1 (major), 2 (sub-major), 3 (minor) or 4 (unit) narrows them."""
    qs = Occupation.objects.select_related("parent").order_by("code")
    return qs if level is None else qs.filter(level=level)


def education_levels() -> QuerySet[EducationLevel]:
    """ISCED 2011 levels 0-8 in order."""
    return EducationLevel.objects.order_by("code")


def mci_rates() -> tuple[tuple[date, int], ...]:
    """(valid_from, tenge) pairs in date order, for the core's MCI conversion: each value holds until the next."""
    return tuple(MciRate.objects.order_by("valid_from").values_list("valid_from", "tenge"))


def day_transfers() -> tuple[tuple[date, date], ...]:
    """(working_day, day_off) pairs in date order, for the core's working-day calendar: the government's
    transfers of days off (Labour Code, Art. 85(3)), which the public-holiday calendar does not know."""
    return tuple(DayTransfer.objects.order_by("working_day").values_list("working_day", "day_off"))
