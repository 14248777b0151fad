"""Tables of the shared kernel: audit chain, read log, policy versions, MCI and working-day transfers."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

POLICY_LANGUAGES = ("kk", "ru", "en")
# When a version lacks its wording in the reader's language: versions entered before the wording became
# trilingual hold English only, and new ones always have Kazakh and Russian.
POLICY_FALLBACK = ("en", "ru", "kk")


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class LiveManager(models.Manager):
    """Records not archived. Case data is never deleted: it is archived with who and why."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class SoftDeletable(models.Model):
    deleted_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    deletion_reason = models.TextField(_("reason for archiving"), blank=True, editable=False)

    objects = LiveManager()
    all_objects = models.Manager()  # noqa: DJ012 (a manager; ruff reads it as a field)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One write, as the service that made it described it. Hash-chained; never updated or deleted.

    The log is K independent chains ("lanes", ADR 0002): `seq` is gapless within its `lane`."""

    lane = models.PositiveSmallIntegerField(default=1)
    seq = models.PositiveBigIntegerField()
    occurred_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    region_code = models.CharField(max_length=8, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["lane", "seq"]
        constraints = [models.UniqueConstraint(fields=["lane", "seq"], name="audit_lane_seq_unique")]
        indexes = [models.Index(fields=["object_type", "object_id", "seq"], name="audit_object_idx"),
                   models.Index(fields=["occurred_at", "id"], name="audit_time_idx")]

    def __str__(self):
        lane = f"{self.lane}/" if self.lane != 1 else ""
        return f"#{lane}{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditHead(models.Model):
    """A lane's last link (the row's id is the lane). Locked by every audit write to that lane (so its links
    are made one at a time) and compared by `audit verify`, so that deleting a lane's newest events is caught
    too."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self):
        return f"head #{self.seq} {self.hash[:12]}"


class AccessEvent(models.Model):
    """A read of a person's record: who looked, when, at what, through which page or endpoint."""

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_events")
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    channel = models.CharField(max_length=10)  # page | api
    path = models.CharField(max_length=300)

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="access_object_idx")]

    def __str__(self):
        return f"{self.user_id} read {self.object_type}:{self.object_id} via {self.channel}"


class PolicyVersion(TimeStamped):
    """A version of a mechanism's rules, in force from `valid_from` to `valid_to` (inclusive; open when null).

    `parameters` is validated against the schema registered for the `kind` (see core.domain.policy). The title
    and the legal act are worded in Kazakh, Russian and English; `title` and `legal_act` give the wording in
    the active language (see `title_in`). The services require Kazakh and Russian for a new version.
    """

    kind = models.CharField(_("mechanism"), max_length=60)
    code = models.CharField(_("code"), max_length=60)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    legal_act_kk = models.CharField(_("legal act (Kazakh)"), max_length=300, blank=True)
    legal_act_ru = models.CharField(_("legal act (Russian)"), max_length=300, blank=True)
    legal_act_en = models.CharField(_("legal act (English)"), max_length=300, blank=True)
    legal_number = models.CharField(_("act number"), max_length=60, blank=True)
    legal_date = models.DateField(_("act date"), null=True, blank=True)
    confidence = models.CharField(_("confidence"), max_length=1, default="M")
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)

    class Meta:
        ordering = ["kind", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="policy_kind_code_unique"),
            models.UniqueConstraint(fields=["kind", "valid_from"], name="policy_kind_from_unique"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="policy_valid_range",
            ),
        ]

    def __str__(self):
        return f"{self.kind}:{self.code}"

    def _wording(self, stem: str, language: str | None) -> str:
        lang = (language or "kk")[:2]
        if lang in POLICY_LANGUAGES and getattr(self, f"{stem}_{lang}"):
            return getattr(self, f"{stem}_{lang}")
        return next((text for text in (getattr(self, f"{stem}_{o}") for o in POLICY_FALLBACK) if text), "")

    def title_in(self, language: str | None) -> str:
        """The title in `language`; when that is empty, in English, else Russian, else Kazakh."""
        return self._wording("title", language)

    def legal_act_in(self, language: str | None) -> str:
        """The legal act in `language`, with the same fallback as `title_in`."""
        return self._wording("legal_act", language)

    @property
    def title(self) -> str:
        return self.title_in(get_language())

    @property
    def legal_act(self) -> str:
        return self.legal_act_in(get_language())

    @property
    def titles(self) -> dict[str, str]:
        return {lang: getattr(self, f"title_{lang}") for lang in POLICY_LANGUAGES}

    @property
    def legal_acts(self) -> dict[str, str]:
        return {lang: getattr(self, f"legal_act_{lang}") for lang in POLICY_LANGUAGES}


class MciRate(models.Model):
    """The monthly calculation index (МРП/АЕК) in tenge, in force from `valid_from` until the next row."""

    valid_from = models.DateField(unique=True)
    tenge = models.PositiveIntegerField()
    legal_basis = models.CharField(max_length=300, blank=True)
    confidence = models.CharField(max_length=1, default="M")

    class Meta:
        ordering = ["valid_from"]

    def __str__(self):
        return f"{self.valid_from}: {self.tenge} ₸"


class DayTransfer(models.Model):
    """A government transfer of a day off: `working_day` (usually a Saturday) is worked so that `day_off`
    (usually a weekday between holidays) is rested."""

    working_day = models.DateField(unique=True)
    day_off = models.DateField(unique=True)
    legal_basis = models.CharField(max_length=300, blank=True)
    confidence = models.CharField(max_length=1, default="M")

    class Meta:
        ordering = ["working_day"]

    def __str__(self):
        return f"{self.working_day} worked for {self.day_off}"


class Counter(models.Model):
    """A named sequence for human-readable numbers (application numbers): gapless and never reused, even
    when many officers register at once (the row is locked while a number is taken)."""

    key = models.CharField(max_length=60, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.key}={self.value}"
