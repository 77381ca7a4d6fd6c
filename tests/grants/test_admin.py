"""Every accounts, grants and awards model is in the admin, and its pages render."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from grants.models import FundingRoundEvent

from ..factories import OpenRoundFactory, OrganisationFactory, UserFactory

MODELS = [m for app in ("accounts", "grants", "awards") for m in apps.get_app_config(app).get_models()]


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True, is_staff=True, email="root@example.jp")


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_model_is_registered(model):
    assert admin.site.is_registered(model)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_pages_render(client, superuser, model):
    funding_round = OpenRoundFactory()
    OrganisationFactory(member=UserFactory())
    FundingRoundEvent.objects.create(funding_round=funding_round, action="status", to_status="open")
    client.force_login(superuser)
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")

    assert client.get(changelist).status_code == 200
    assert client.get(changelist, {"q": "つながり"}).status_code == 200
    obj = model.objects.first()
    if obj is not None:
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert client.get(change).status_code == 200


def test_admin_adds_an_email_user(client, superuser):
    client.force_login(superuser)
    response = client.post(reverse("admin:accounts_user_add"), {
        "email": "new@example.jp", "full_name": "新規 利用者", "role": "reviewer",
        "usable_password": "true", "password1": "a-long-pass-2023!", "password2": "a-long-pass-2023!",
    })
    assert response.status_code == 302
    from accounts.models import User

    assert User.objects.get(email="new@example.jp").check_password("a-long-pass-2023!")


def test_round_events_are_read_only_in_the_admin(client, superuser):
    funding_round = OpenRoundFactory()
    event = FundingRoundEvent.objects.create(funding_round=funding_round, action="status")
    client.force_login(superuser)
    url = reverse("admin:grants_fundingroundevent_change", args=[event.pk])
    response = client.post(url, {"action": "tampered"})
    event.refresh_from_db()
    assert event.action == "status"
    assert response.status_code == 403
