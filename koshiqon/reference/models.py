"""Reference data: regions (with their names over time), countries, occupations, education levels.

Loaded from the project's own data files in `reference/data/` (sources in `data/SOURCES.md`).
"""

from datetime import date

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Trilingual(models.Model):
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def name_in(self, language: str | None) -> str:
        lang = (language or "kk")[:2]
        return getattr(self, f"name_{lang}", None) or self.name_kk

    @property
    def name(self) -> str:
        return self.name_in(get_language())


class Region(models.Model):
    """A region (oblys) or city of national significance, with the dates it existed as such.

    The code is the ISO 3166-2:KZ code. A renamed region keeps its code and gains a `RegionName` row.
    """

    code = models.CharField(_("ISO 3166-2 code"), max_length=8, unique=True)
    kato = models.CharField(_("KATO prefix"), max_length=2, blank=True)
    kind = models.CharField(_("kind"), max_length=10)  # region | city
    valid_from = models.DateField(_("exists from"), null=True, blank=True)
    valid_to = models.DateField(_("exists until"), null=True, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.name

    def exists_on(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on <= self.valid_to)

    def names_on(self, on: date) -> "RegionName | None":
        for n in self.names.all():
            if (n.valid_from is None or n.valid_from <= on) and (n.valid_to is None or on <= n.valid_to):
                return n
        return None

    def name_on(self, on: date, language: str | None = None) -> str:
        n = self.names_on(on)
        return n.name_in(language or get_language()) if n else self.code

    @property
    def name(self) -> str:
        current = self.names_on(date.today()) or self.names.order_by("-valid_from").first()
        return current.name if current else self.code


class RegionName(Trilingual):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="names")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    legal_basis = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["region", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["region", "valid_from"], name="region_name_from_unique")]


class Country(Trilingual):
    alpha2 = models.CharField(_("ISO alpha-2"), max_length=2, unique=True)
    alpha3 = models.CharField(_("ISO alpha-3"), max_length=3, unique=True)
    numeric = models.CharField(_("ISO numeric"), max_length=3, unique=True)
    eaeu_member_since = models.DateField(_("EAEU member since"), null=True, blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name_plural = _("countries")


class Occupation(Trilingual):
    """ISCO-08 group: level 1 major, 2 sub-major, 3 minor, 4 unit."""

    code = models.CharField(_("ISCO-08 code"), max_length=4, unique=True)
    level = models.PositiveSmallIntegerField(_("level"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class EducationLevel(Trilingual):
    """ISCED 2011 level (0-8)."""

    code = models.CharField(_("ISCED 2011 level"), max_length=2, unique=True)

    class Meta:
        ordering = ["code"]
