"""Cached options of the staff list's round, theme and tier filters (issue 12).

Building them ran three queries and labelled every round, theme and tier on
each page view. The options (value and label pairs, per language) are kept in
the cache under a version that any save or delete of a programme, round,
theme or tier bumps, at once and again on commit; entries also expire after
TTL seconds, so a process-local cache (the default LocMemCache) shows a
change made through another process within that time. Filtering itself
still validates against the live querysets.
"""

import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from grants.models import FundingRound, Programme, ScaleTier, Theme

VERSION_KEY = "applications:filter-choices:version"
TTL = 60


def _bump(**kwargs) -> None:
    def bump():
        cache.set(VERSION_KEY, time.time_ns(), None)

    bump()
    transaction.on_commit(bump)


for _model in (Programme, FundingRound, Theme, ScaleTier):
    post_save.connect(_bump, sender=_model, dispatch_uid=f"filter-choices-save-{_model.__name__}")
    post_delete.connect(_bump, sender=_model,
                        dispatch_uid=f"filter-choices-delete-{_model.__name__}")


def current_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(VERSION_KEY, version, None)
    return version


def use_cached_choices(form, names) -> None:
    """Give the named model-choice fields' widgets their cached options."""
    version = current_version()
    for name in names:
        field = form.fields[name]
        key = f"applications:filter-choices:{name}:{get_language()}:{version}"
        choices = cache.get(key)
        if choices is None:
            choices = [(str(value), str(label)) for value, label in field.choices]
            cache.set(key, choices, TTL)
        field.widget.choices = choices
