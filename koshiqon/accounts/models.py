"""Users, their role and regions, and API tokens for other systems."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koshiqon.core.domain.permissions import Role

ROLE_LABELS = {
    Role.NATIONAL_OFFICER: _("National officer (ministry)"),
    Role.REGIONAL_OFFICER: _("Regional officer"),
    Role.REGIONAL_VIEWER: _("Regional inspector (read only)"),
    Role.CENTRE_STAFF: _("Adaptation centre staff"),
    Role.EMPLOYER: _("Employer"),
    Role.ANALYST: _("Analyst"),
    Role.ADMINISTRATOR: _("Administrator"),
}


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=30, choices=[(r.value, ROLE_LABELS[r]) for r in Role], blank=True)
    regions = models.ManyToManyField("reference.Region", blank=True, related_name="users", verbose_name=_("regions"))
    language = models.CharField(_("language"), max_length=5, default="kk")

    def role_label(self):
        return ROLE_LABELS.get(self.role, "") if self.role else ""


class ApiToken(models.Model):
    """A bearer token for a system calling the API on behalf of a (service) user. Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
