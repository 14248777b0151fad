"""Small reference fixtures for tests that do not need the whole reference load."""

from datetime import date

from koshiqon.reference.models import Country, Region, RegionName

REGIONS = [
    ("KZ-55", "55", "region", None, "Павлодар облысы", "Павлодарская область", "Pavlodar Region"),
    ("KZ-75", "75", "city", None, "Алматы қаласы", "город Алматы", "Almaty"),
    ("KZ-11", "11", "region", None, "Ақмола облысы", "Акмолинская область", "Akmola Region"),
]
COUNTRIES = [
    ("KZ", "KAZ", "398", "Қазақстан", "Казахстан", "Kazakhstan"),
    ("CN", "CHN", "156", "Қытай", "Китай", "China"),
    ("UZ", "UZB", "860", "Өзбекстан", "Узбекистан", "Uzbekistan"),
    ("MN", "MNG", "496", "Моңғолия", "Монголия", "Mongolia"),
    ("DE", "DEU", "276", "Германия", "Германия", "Germany"),
]


def make_small_reference() -> None:
    for code, kato, kind, valid_from, kk, ru, en in REGIONS:
        region, _ = Region.objects.get_or_create(code=code, defaults={"kato": kato, "kind": kind, "valid_from": valid_from})
        RegionName.objects.get_or_create(region=region, valid_from=date(1997, 1, 1),
                                         defaults={"name_kk": kk, "name_ru": ru, "name_en": en})
    for a2, a3, num, kk, ru, en in COUNTRIES:
        Country.objects.get_or_create(alpha2=a2, defaults={"alpha3": a3, "numeric": num, "name_kk": kk, "name_ru": ru, "name_en": en})
