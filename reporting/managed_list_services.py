"""Staff keep the managed lists (target groups, feature tags, expense
categories): add an item, rename or reorder it, switch it off or on. A code
is stable once created: applications, reports, findings, filters and the
API name items by it, so it never changes and items are never deleted
(switching off hides an item from new choices; what used it keeps it).
Every write leaves a ManagedListEvent."""

import re

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.transitions import record
from grants.models import ExpenseCategory, TargetGroup

from .managed_list_models import ManagedList, ManagedListEvent
from .models import FeatureTag

MODELS = {
    ManagedList.TARGET_GROUPS: TargetGroup,
    ManagedList.FEATURE_TAGS: FeatureTag,
    ManagedList.EXPENSE_CATEGORIES: ExpenseCategory,
}
EDITABLE = ("name_ja", "name_en", "sort_order", "is_active")
CODE = re.compile(r"^[a-z0-9]+(?:[_-][a-z0-9]+)*$")


def _state(is_active: bool) -> str:
    return ManagedListEvent.ItemState.ACTIVE if is_active else ManagedListEvent.ItemState.INACTIVE


def model_of(list_name: str):
    return MODELS[ManagedList(list_name)]



def _clean(data: dict) -> dict:
    values = {}
    for field in EDITABLE:
        if field in data:
            value = data[field]
            values[field] = value.strip() if isinstance(value, str) else value
    if "name_ja" in values and not values["name_ja"]:
        raise DomainError(_("Enter the Japanese name."), code="required", field="name_ja")
    return values


@transaction.atomic
def create_list_item(*, list_name: str, data: dict, by):
    """Add an item under a new, lower-case code (letters, digits, - and _)."""
    model = model_of(list_name)
    code = (data.get("code") or "").strip()
    max_length = model._meta.get_field("code").max_length
    if not CODE.match(code) or len(code) > max_length:
        raise DomainError(
            _("Use %(max)s or fewer lower-case letters, digits, - or _ for the code.")
            % {"max": max_length}, code="bad_code", field="code")
    if model.objects.filter(code=code).exists():
        raise DomainError(_("The code %(code)s is already in use.") % {"code": code},
                          code="code_taken", field="code")
    values = {"sort_order": 100, "is_active": True, "name_en": "", **_clean(data)}
    if "name_ja" not in values:
        raise DomainError(_("Enter the Japanese name."), code="required", field="name_ja")
    item = model.objects.create(code=code, **values)
    record(
        ManagedListEvent, list_name=list_name, item_code=code, by=by,
        action=ManagedListEvent.Action.CREATED, to_status=_state(item.is_active),
        changes={field: [None, getattr(item, field)] for field in EDITABLE},
    )
    return item


@transaction.atomic
def update_list_item(*, list_name: str, item, data: dict, by, reason: str = ""):
    """Rename, reorder, switch off or on; the code stays. No change, no row."""
    model = model_of(list_name)
    item = model.objects.select_for_update().get(pk=item.pk)
    if "code" in data and data["code"] != item.code:
        raise DomainError(_("A code cannot change: applications and reports use it."),
                          code="code_fixed", field="code")
    values = _clean(data)
    changes = {field: [getattr(item, field), value] for field, value in values.items()
               if getattr(item, field) != value}
    if not changes:
        return item
    was_active = item.is_active
    for field, value in values.items():
        setattr(item, field, value)
    item.save()
    action = ManagedListEvent.Action.CHANGED
    if "is_active" in changes:
        action = (ManagedListEvent.Action.REACTIVATED if item.is_active
                  else ManagedListEvent.Action.DEACTIVATED)
    record(
        ManagedListEvent, list_name=list_name, item_code=item.code, by=by, action=action,
        from_status=_state(was_active), to_status=_state(item.is_active), why=reason,
        changes=changes,
    )
    return item
