"""Every domain model can be looked at in the Django admin: registered on
its own or shown inline on its parent's page."""

from django.apps import apps
from django.contrib import admin

DOMAIN_APPS = ("accounts", "grants", "applications", "awards", "reviews", "reporting")


def _inline_models():
    return {
        inline.model
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
    }


def test_every_domain_model_is_in_the_admin():
    inlined = _inline_models()
    missing = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in DOMAIN_APPS
        and model not in admin.site._registry
        and model not in inlined
    ]
    assert missing == []
