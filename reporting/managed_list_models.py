"""History of the managed lists (target groups, feature tags, expense
categories). The items live in grants and reporting; their codes are stable
and never change, so a history row names its item by list and code."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import EventModel


class ManagedList(models.TextChoices):
    TARGET_GROUPS = "target-groups", _("Target groups")
    FEATURE_TAGS = "feature-tags", _("Feature tags")
    EXPENSE_CATEGORIES = "expense-categories", _("Expense categories")


class ManagedListEvent(EventModel):
    """One creation or change of a managed-list item (who, when, what)."""

    class Action(models.TextChoices):
        CREATED = "created", _("Added")
        CHANGED = "changed", _("Changed")
        DEACTIVATED = "deactivated", _("Switched off")
        REACTIVATED = "reactivated", _("Switched on")

    class ItemState(models.TextChoices):
        ACTIVE = "active", _("active")
        INACTIVE = "inactive", _("inactive")

    action = models.CharField(_("action"), max_length=40, choices=Action)

    list_name = models.CharField(_("list"), max_length=30, choices=ManagedList, db_index=True)
    item_code = models.CharField(_("code"), max_length=40, db_index=True)

    def status_choices(self):
        return self.ItemState

    class Meta(EventModel.Meta):
        verbose_name = _("managed list event")
        verbose_name_plural = _("managed list events")


__all__ = ["ManagedList", "ManagedListEvent"]
