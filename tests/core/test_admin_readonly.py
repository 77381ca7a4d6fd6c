"""The admin cannot edit a status, an approved amount or a history row: every
model with a status (TRANSITIONS) and every event table is read-only there,
and the only writes are admin actions that call the services."""

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import RequestFactory
from django.urls import reverse

from applications.models import Application, ApplicationEvent
from awards.models import Award, AwardEvent
from core.models import EventModel

from ..factories import AwardFactory, UserFactory, submitted_application

STATUS_FIELDS = {"status", "state"}


def _guarded(model) -> bool:
    names = {f.name for f in model._meta.get_fields() if getattr(f, "concrete", False)}
    return (
        hasattr(model, "TRANSITIONS")
        or bool(STATUS_FIELDS & names)
        or issubclass(model, EventModel)
        or model.__name__.endswith("Event")
    )


def _admins():
    """(model, model admin or inline) pairs, inlines included."""
    for model, model_admin in admin.site._registry.items():
        yield model, model_admin
        for inline_class in model_admin.inlines:
            yield inline_class.model, inline_class(model, admin.site)


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True, is_staff=True, email="root@example.jp")


def test_the_registry_has_guarded_models():
    guarded = {m for m, _ in _admins() if _guarded(m)}
    assert {Application, ApplicationEvent, Award, AwardEvent} <= guarded


def test_no_guarded_model_can_be_added_changed_or_deleted(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    writable = []
    for model, model_admin in _admins():
        if not _guarded(model):
            continue
        for verb in ("add", "change", "delete"):
            if getattr(model_admin, f"has_{verb}_permission")(request, None):
                writable.append(f"{type(model_admin).__name__}({model._meta.label}).{verb}")
    assert writable == []


def test_posting_a_status_change_is_refused(client, superuser, applicant):
    application = submitted_application(by=applicant).application
    client.force_login(superuser)
    url = reverse("admin:applications_application_change", args=[application.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, {"status": "awarded", "title": "書き換え"})

    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.title != "書き換え"
    assert not application.events.filter(to_status="awarded").exists()


def test_posting_an_approved_amount_is_refused(client, superuser):
    award = AwardFactory()
    before = award.approved_yen
    client.force_login(superuser)
    url = reverse("admin:awards_award_change", args=[award.pk])

    response = client.post(url, {"approved_yen": before + 1_000_000, "status": "completed"})

    assert response.status_code == 403
    award.refresh_from_db()
    assert (award.approved_yen, award.status) == (before, Award.Status.ACTIVE)


def test_an_event_row_cannot_be_deleted(client, superuser, applicant):
    application = submitted_application(by=applicant).application
    event = application.events.get(to_status="submitted")
    client.force_login(superuser)
    url = reverse("admin:applications_applicationevent_delete", args=[event.pk])

    response = client.post(url, {"post": "yes"})

    assert response.status_code == 403
    assert ApplicationEvent.objects.filter(pk=event.pk).exists()


def _run_action(client, model, action, objects, reason=""):
    opts = model._meta
    return client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in objects], "reason": reason,
         "index": 0},
        follow=True,
    )


def test_admin_action_moves_the_application_through_the_service(client, superuser, applicant):
    application = submitted_application(by=applicant).application
    client.force_login(superuser)

    response = _run_action(client, Application, "mark_ineligible", [application],
                           reason="法人格の要件を満たさない")

    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == Application.Status.INELIGIBLE
    event = application.events.get(to_status="ineligible")
    assert (event.actor, event.from_status, event.reason) == (
        superuser, "submitted", "法人格の要件を満たさない")


def test_admin_action_refused_by_the_service_changes_nothing(client, superuser, applicant):
    application = submitted_application(by=applicant).application
    client.force_login(superuser)

    # Ineligible needs a reason: the service refuses and nothing moves.
    response = _run_action(client, Application, "mark_ineligible", [application])

    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not application.events.filter(to_status="ineligible").exists()
    assert "理由" in response.content.decode() or "reason" in response.content.decode().lower()


def test_admin_action_suspends_an_award_with_the_admin_as_actor(client, superuser):
    award = AwardFactory()
    client.force_login(superuser)

    _run_action(client, Award, "award_suspended", [award], reason="報告の遅延")

    award.refresh_from_db()
    assert award.status == Award.Status.SUSPENDED
    event = AwardEvent.objects.get(award=award, action="status")
    assert (event.actor, event.from_status, event.to_status, event.reason) == (
        superuser, "active", "suspended", "報告の遅延")


def test_staff_of_another_programme_cannot_use_the_action(client, other_officer):
    award = AwardFactory()
    other_officer.is_staff = True
    other_officer.save()
    from django.contrib.auth.models import Permission

    other_officer.user_permissions.add(Permission.objects.get(codename="view_award"))
    client.force_login(other_officer)

    _run_action(client, Award, "award_suspended", [award], reason="報告の遅延")

    award.refresh_from_db()
    assert award.status == Award.Status.ACTIVE
    assert not AwardEvent.objects.filter(award=award, action="status").exists()
