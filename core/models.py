"""Abstract bases shared by the domain apps; core holds no domain tables."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class EventModel(models.Model):
    """An audit row: who moved what, when, from which state to which, and why."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=40)
    from_status = models.CharField(_("from"), max_length=30, blank=True)
    to_status = models.CharField(_("to"), max_length=30, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def status_choices(self):
        """The TextChoices whose values from_status/to_status hold (per action)."""
        return None

    def _status_label(self, value: str) -> str:
        choices = self.status_choices()
        if not value or choices is None:
            return value
        try:
            return str(choices(value).label)
        except ValueError:
            return value

    @property
    def from_status_label(self) -> str:
        """from_status in words of the active language."""
        return self._status_label(self.from_status)

    @property
    def to_status_label(self) -> str:
        return self._status_label(self.to_status)


class BilingualTitleMixin:
    """Pick `<field>_ja` or `<field>_en` by the active language, ja as fallback."""

    def localized(self, field: str) -> str:
        lang = (get_language() or "ja")[:2]
        value = getattr(self, f"{field}_{lang}", "") if lang in ("ja", "en") else ""
        return value or getattr(self, f"{field}_ja", "") or getattr(self, f"{field}_en", "")

    @property
    def title(self) -> str:
        return self.localized("title")

    @property
    def name(self) -> str:
        return self.localized("name")


class ManagedListItem(BilingualTitleMixin, TimeStampedModel):
    """An entry of a managed list (expense categories, target groups, feature
    tags): a stable code, a bilingual name, an order and an on/off switch."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name
