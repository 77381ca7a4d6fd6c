"""Abstract bases shared by the domain apps, and the e-mail outbox (the one
cross-cutting table: every e-mail of every app goes through it)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
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

    @property
    def action_label(self) -> str:
        """The action in words of the active language (the event model's
        `Action` enum); a value the enum does not know is shown as it is."""
        actions = getattr(type(self), "Action", None)
        try:
            return str(actions(self.action).label) if actions else self.action
        except ValueError:
            return self.action


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


class OutboxMessage(models.Model):
    """One e-mail to send, written in the transaction of the action that
    caused it (transactional outbox) and delivered afterwards by
    core.outbox.deliver_message, which claims it with a lease."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("outbox", "Pending")
        SENDING = "sending", pgettext_lazy("outbox", "Sending")
        SENT = "sent", pgettext_lazy("outbox", "Sent")
        FAILED = "failed", pgettext_lazy("outbox", "Failed")
        DEAD = "dead", pgettext_lazy("outbox", "Dead")

    # Staff may send a failed or dead message again.
    RETRYABLE = (Status.FAILED, Status.DEAD)

    key = models.CharField(_("key"), max_length=200, unique=True)
    from_email = models.CharField(pgettext_lazy("email", "from"), max_length=254)
    to = models.JSONField(pgettext_lazy("email", "to"), default=list)
    cc = models.JSONField(_("cc"), default=list, blank=True)
    bcc = models.JSONField(_("bcc"), default=list, blank=True)
    reply_to = models.JSONField(_("reply to"), default=list, blank=True)
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("body"), blank=True)
    html_body = models.TextField(_("HTML body"), blank=True)
    # NOTE: the whole MIME message as queued (attachments, Message-ID, Date,
    # extra headers); delivery rebuilds the EmailMessage from it, so a retry
    # sends the same Message-ID and receivers can drop a duplicate.
    raw = models.BinaryField(_("MIME message"), blank=True, default=b"")
    # SECURITY: messages carrying a secret (an invitation link) lose their
    # body and MIME copy once sent.
    is_sensitive = models.BooleanField(_("sensitive"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    lease_token = models.CharField(_("lease token"), max_length=32, blank=True)
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx"),
            models.Index(fields=["-created_at", "-id"], name="outbox_list_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"

    @property
    def is_retryable(self) -> bool:
        return self.status in self.RETRYABLE


class OutboxEvent(EventModel):
    """An outbox message's history: delivered, retry scheduled, failed,
    dead, or sent again by staff."""

    class Action(models.TextChoices):
        DELIVERY = "delivery", pgettext_lazy("outbox", "Delivery attempt")
        RETRY = "retry", pgettext_lazy("outbox", "Sent again by staff")

    action = models.CharField(_("action"), max_length=40, choices=Action)

    message = models.ForeignKey(
        OutboxMessage, verbose_name=_("e-mail"), on_delete=models.CASCADE,
        related_name="events",
    )

    class Meta(EventModel.Meta):
        verbose_name = _("outgoing e-mail event")
        verbose_name_plural = _("outgoing e-mail events")

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"

    def status_choices(self):
        return OutboxMessage.Status
