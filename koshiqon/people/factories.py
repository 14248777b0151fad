from datetime import date

import factory

from koshiqon.people.domain.iin import make_iin
from koshiqon.people.domain.names import name_key
from koshiqon.people.models import Person
from koshiqon.reference.models import Country, Region


class PersonFactory(factory.django.DjangoModelFactory):
    """A person saved directly (no audit): for setting the scene of a test, never for testing writes."""

    class Meta:
        model = Person

    last_name = "Әбдіқадыров"
    first_name = "Жанар"
    patronymic = ""
    last_name_latin = "ABDIKADYROV"
    first_name_latin = "ZHANAR"
    birth_date = date(1990, 5, 17)
    sex = "M"
    region = factory.LazyFunction(lambda: Region.objects.get(code="KZ-55"))
    citizenship = factory.LazyFunction(lambda: Country.objects.get(alpha2="KZ"))
    iin = factory.Sequence(lambda n: make_iin(date(1990, 5, 17), "M", n + 1))
    name_key = factory.LazyAttribute(
        lambda p: name_key(p.last_name, p.first_name, p.patronymic, p.last_name_latin, p.first_name_latin)
    )
