from datetime import date, timedelta
from functools import cache

import factory

from koshiqon.people.domain.iin import make_iin
from koshiqon.people.domain.names import name_key
from koshiqon.people.models import Person
from koshiqon.reference.models import Country, Region

FIRST_BIRTH_DATE = date(1990, 5, 17)


PER_DAY = 8000  # fewer than the serials of any day that make an IIN of their own (about 9,000 of 9,999)


@cache
def _serials(birth: date) -> tuple[int, ...]:
    """The serials that make an IIN of their own on `birth`: a serial whose check digit would be 10 is never
    issued, and `make_iin` moves on to the next one, so two neighbouring serials can give the same IIN."""
    return tuple(s for s in range(1, 10_000) if make_iin(birth, "M", s)[7:11] == f"{s:04d}")


def nth_iin(n: int) -> tuple[date, str]:
    """The n-th distinct test IIN and the birth date it encodes: 17 May 1990 first, then the days after."""
    birth = FIRST_BIRTH_DATE + timedelta(days=n // PER_DAY)
    return birth, make_iin(birth, "M", _serials(birth)[n % PER_DAY])


class PersonFactory(factory.django.DjangoModelFactory):
    """A person saved directly (no audit): for setting the scene of a test, never for testing writes."""

    class Meta:
        model = Person

    class Params:
        serial = factory.Sequence(lambda n: n)

    last_name = "Әбдіқадыров"
    first_name = "Жанар"
    patronymic = ""
    last_name_latin = "ABDIKADYROV"
    first_name_latin = "ZHANAR"
    birth_date = factory.LazyAttribute(lambda p: nth_iin(p.serial)[0])
    sex = "M"
    region = factory.LazyFunction(lambda: Region.objects.get(code="KZ-55"))
    citizenship = factory.LazyFunction(lambda: Country.objects.get(alpha2="KZ"))
    iin = factory.LazyAttribute(lambda p: nth_iin(p.serial)[1])
    name_key = factory.LazyAttribute(
        lambda p: name_key(p.last_name, p.first_name, p.patronymic, p.last_name_latin, p.first_name_latin)
    )
