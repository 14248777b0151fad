"""Persons, their identity documents, and families (households) with the relations between members."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from koshiqon.core.models import SoftDeletable, TimeStamped


class Sex(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class Person(TimeStamped, SoftDeletable):
    last_name = models.CharField(_("surname"), max_length=100)
    first_name = models.CharField(_("given name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    last_name_latin = models.CharField(_("surname (Latin)"), max_length=100, blank=True)
    first_name_latin = models.CharField(_("given name (Latin)"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    citizenship = models.ForeignKey(
        "reference.Country", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("citizenship"),
    )
    # NULL, not "": persons without an IIN (most foreigners) must not collide on the unique constraint.
    iin = models.CharField(_("IIN"), max_length=12, null=True, blank=True)  # noqa: DJ001
    region = models.ForeignKey(
        "reference.Region", on_delete=models.PROTECT, related_name="persons", verbose_name=_("region")
    )
    # Transliteration-aware key of all name spellings, for search and duplicate detection.
    name_key = models.CharField(max_length=400, db_index=True, editable=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["iin"], condition=models.Q(iin__isnull=False, deleted_at__isnull=True), name="person_iin_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["birth_date"], name="person_birth_idx"),
            models.Index(fields=["region", "last_name"], name="person_region_name_idx"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def full_name_latin(self) -> str:
        return " ".join(p for p in (self.last_name_latin, self.first_name_latin) if p)


class DocumentKind(models.TextChoices):
    PASSPORT = "passport", _("passport")
    ID_CARD = "id_card", _("identity card")
    RESIDENCE_PERMIT = "residence_permit", _("residence permit")
    STATELESS = "stateless", _("stateless person's certificate")
    BIRTH_CERTIFICATE = "birth_certificate", _("birth certificate")
    OTHER = "other", _("other document")


class IdentityDocument(TimeStamped, SoftDeletable):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="documents", verbose_name=_("person"))
    kind = models.CharField(_("document type"), max_length=20, choices=DocumentKind.choices)
    number = models.CharField(_("document number"), max_length=20)
    issuing_country = models.ForeignKey(
        "reference.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing country")
    )
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    expires_on = models.DateField(_("date of expiry"), null=True, blank=True)
    mrz = models.TextField(_("machine-readable zone"), blank=True)

    class Meta:
        ordering = ["-issued_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_country", "kind", "number"],
                condition=models.Q(deleted_at__isnull=True),
                name="document_number_unique",
            ),
        ]
        indexes = [models.Index(fields=["number"], name="document_number_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"


class Relation(models.TextChoices):
    HEAD = "head", _("head of family")
    SPOUSE = "spouse", _("spouse")
    CHILD = "child", _("child")
    PARENT = "parent", _("parent")
    SIBLING = "sibling", _("brother or sister")
    GRANDCHILD = "grandchild", _("grandchild")
    OTHER = "other", _("other relative")


class Family(TimeStamped, SoftDeletable):
    """A household that moves and is served together: one head and its members."""

    region = models.ForeignKey(
        "reference.Region", on_delete=models.PROTECT, related_name="families", verbose_name=_("region")
    )
    name = models.CharField(_("family name"), max_length=200)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = _("families")

    def __str__(self):
        return self.name


class FamilyMember(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="family_memberships")
    relation = models.CharField(_("relation"), max_length=12, choices=Relation.choices)

    class Meta:
        ordering = ["family", "id"]
        constraints = [
            models.UniqueConstraint(fields=["family", "person"], name="family_member_unique"),
            models.UniqueConstraint(
                fields=["family"], condition=models.Q(relation="head"), name="family_one_head"
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_relation_display()})"
