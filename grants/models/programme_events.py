"""History of a programme: creation and edits, with who, when and why."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import EventModel


class ProgrammeEvent(EventModel):
    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        CHANGED = "changed", _("Changed")

    action = models.CharField(_("action"), max_length=40, choices=Action)
    programme = models.ForeignKey(
        "grants.Programme", on_delete=models.CASCADE, related_name="events"
    )

    class Meta(EventModel.Meta):
        verbose_name = _("programme event")
        verbose_name_plural = _("programme events")
