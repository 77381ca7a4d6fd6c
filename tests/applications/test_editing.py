"""Never lose work: saving, autosave, stale versions, validation errors and
expired sessions on the edit page."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from applications.forms import BudgetLineForm
from applications.models import Application, ApplicationVersion
from applications.services import save_draft, submit_application
from tests.factories import ApplicationFactory, OpenRoundFactory

from .helpers import edit_url, form_data

pytestmark = pytest.mark.django_db
JST = ZoneInfo("Asia/Tokyo")


def autosave_url(application):
    return reverse("applications:autosave", args=[application.pk])


def stored(application):
    application.refresh_from_db()
    return (
        application.title, application.lock_version, application.requested_yen,
        list(application.budget_lines.values_list("fiscal_year", "amount_yen", "description")),
    )


def test_edit_page_shows_the_draft_and_its_problems(client, applicant, draft):
    draft.summary = ""
    draft.save()
    client.force_login(applicant)
    response = client.get(edit_url(draft))
    body = response.content.decode()
    assert response.status_code == 200
    assert f'name="lock_version" value="{draft.lock_version}"' in body
    assert draft.title in body
    assert 'data-code="required"' in body
    assert 'data-field="summary"' in body
    assert "js/applications-autosave.js" in body
    assert 'for="id_title"' in body


def test_save_replaces_the_lines_and_keeps_the_total(client, applicant, draft):
    client.force_login(applicant)
    category = draft.funding_round.expense_categories.get()
    data = form_data(draft, title="新しい事業名", lines=[
        (2026, category.pk, "1,200,000", "人件費"),
        (2027, category.pk, "３００００", "消耗品"),
        ("", "", "", ""),  # a spare blank row is ignored
    ])
    response = client.post(edit_url(draft), data)
    assert response.status_code == 302
    assert response["Location"] == edit_url(draft)
    assert stored(draft) == (
        "新しい事業名", 2, 1_230_000, [(2026, 1_200_000, "人件費"), (2027, 30_000, "消耗品")]
    )


def test_ticking_delete_removes_a_row(client, applicant, draft):
    client.force_login(applicant)
    category = draft.funding_round.expense_categories.get()
    data = form_data(draft, lines=[(2026, category.pk, "100", "a"), (2027, category.pk, "200", "b")])
    data["lines-1-DELETE"] = "on"
    client.post(edit_url(draft), data)
    assert stored(draft)[3] == [(2026, 100, "a")]


def test_validation_error_keeps_the_input_and_saves_only_the_valid_part(client, applicant,
                                                                          draft):
    client.force_login(applicant)
    before = stored(draft)
    category = draft.funding_round.expense_categories.get()
    data = form_data(draft, title="入力途中のタイトル",
                     lines=[(2026, category.pk, "abc", "人件費")])
    response = client.post(edit_url(draft), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert 'value="入力途中のタイトル"' in body
    assert 'value="abc"' in body
    assert str(BudgetLineForm.base_fields["amount_yen"].label) in body
    # The title is saved; the line in error is not (and stays on the page).
    assert stored(draft) == ("入力途中のタイトル", before[1] + 1, 0, [])
    # The rule check box then speaks of the saved draft, and says so.
    assert response.context["unsaved_input"] is True
    assert client.get(edit_url(draft)).context["unsaved_input"] is False


def test_stale_save_is_refused_and_the_input_kept(client, applicant, draft):
    client.force_login(applicant)
    page = client.get(edit_url(draft))  # tab 1 opens the draft at version 1
    assert page.status_code == 200
    save_draft(application=draft, by=applicant, lock_version=1, content={"title": "タブ2の変更"})
    after_other_tab = stored(draft)

    response = client.post(edit_url(draft), form_data(draft, lock_version="1",
                                                      title="タブ1の変更"))
    body = response.content.decode()
    assert response.status_code == 409
    assert 'id="stale-heading"' in body
    assert 'value="タブ1の変更"' in body
    assert stored(draft) == after_other_tab


def test_autosave_saves_and_returns_the_new_version_and_problems(client, applicant, draft):
    client.force_login(applicant)
    response = client.post(autosave_url(draft), form_data(draft, title="自動保存", summary=""))
    assert response.status_code == 200
    body = response.json()
    assert body["saved"] is True
    assert body["lock_version"] == 2
    assert body["requested_yen"] == 500_000
    assert [(p["field"], p["code"]) for p in body["problems"]] == [("summary", "required")]
    assert stored(draft)[:2] == ("自動保存", 2)


def test_autosave_accepts_json(client, applicant, draft):
    client.force_login(applicant)
    response = client.post(autosave_url(draft), json.dumps(form_data(draft, title="JSONで保存")),
                           content_type="application/json")
    assert response.status_code == 200
    assert stored(draft)[:2] == ("JSONで保存", 2)


def test_autosave_with_a_stale_version_is_412_and_saves_nothing(client, applicant, draft):
    client.force_login(applicant)
    save_draft(application=draft, by=applicant, lock_version=1, content={"title": "別のタブ"})
    before = stored(draft)
    response = client.post(autosave_url(draft), form_data(draft, lock_version="1", title="古い"))
    assert response.status_code == 412
    assert response.json()["code"] == "stale_version"
    assert stored(draft) == before


def test_autosave_with_input_of_the_wrong_shape_is_400(client, applicant, draft):
    client.force_login(applicant)
    before = stored(draft)
    category = draft.funding_round.expense_categories.get()
    response = client.post(
        autosave_url(draft), form_data(draft, lines=[(2026, category.pk, "1.5", "x")])
    )
    assert response.status_code == 400
    assert "lines-0-amount_yen" in response.json()["errors"]
    # Only the line in error is left out: the rest of the form was unchanged.
    assert stored(draft)[0] == before[0] and stored(draft)[3] == []


def test_repeating_an_unchanged_save_with_an_old_version_is_harmless(client, applicant, draft):
    client.force_login(applicant)
    data = form_data(draft, title="同じ内容")
    client.post(autosave_url(draft), data)
    response = client.post(autosave_url(draft), data)  # a retry with lock_version 1
    assert response.status_code == 200
    assert stored(draft)[:2] == ("同じ内容", 2)


def test_expired_session_returns_to_the_edit_page_with_the_autosaved_draft(client, applicant,
                                                                          draft):
    client.force_login(applicant)
    client.post(autosave_url(draft), form_data(draft, title="消えない下書き"))
    client.logout()  # the session expires

    response = client.get(edit_url(draft))
    assert response.status_code == 302
    login_url = response["Location"]
    assert login_url.startswith(reverse("accounts:login"))
    assert "next=" in login_url

    response = client.post(login_url, {"username": applicant.email,
                                       "password": "pw-correct-horse"})
    assert response.status_code == 302
    assert response["Location"] == edit_url(draft)
    page = client.get(edit_url(draft)).content.decode()
    assert 'value="消えない下書き"' in page


def test_autosave_without_a_session_redirects_and_saves_nothing(client, draft):
    before = stored(draft)
    response = client.post(autosave_url(draft), form_data(draft, title="x"))
    assert response.status_code == 302
    assert stored(draft) == before


class TestSubmitFromTheEditPage:
    def test_save_and_submit(self, client, applicant, draft, mailoutbox,
                             django_capture_on_commit_callbacks):
        """Save and submit saves the draft, then asks for the declaration on
        the confirmation page, which submits."""
        client.force_login(applicant)
        response = client.post(edit_url(draft), form_data(draft, title="提出する事業",
                                                          action="submit"))
        submit_url = reverse("applications:submit", args=[draft.pk])
        assert (response.status_code, response["Location"]) == (302, submit_url)
        draft.refresh_from_db()
        assert (draft.status, draft.title) == ("draft", "提出する事業")
        assert not ApplicationVersion.objects.exists()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(submit_url, {"declaration": "on", "idempotency_key": "abc"})
        assert response.status_code == 302
        assert response["Location"] == reverse("applications:detail", args=[draft.pk])
        version = ApplicationVersion.objects.get(application=draft)
        assert version.content["title"] == "提出する事業"
        assert len(mailoutbox) == 1

    def test_a_double_click_makes_one_submission(self, client, applicant, draft):
        client.force_login(applicant)
        client.post(edit_url(draft), form_data(draft, title="二度押し", action="submit"))
        data = {"declaration": "on", "idempotency_key": "same"}
        url = reverse("applications:submit", args=[draft.pk])
        first = client.post(url, data)
        second = client.post(url, data)  # the same confirmation page
        assert first.status_code == second.status_code == 302
        assert second["Location"] == reverse("applications:detail", args=[draft.pk])
        assert ApplicationVersion.objects.filter(application=draft).count() == 1
        draft.refresh_from_db()
        assert draft.status == Application.Status.SUBMITTED

    def test_problems_keep_it_a_saved_draft(self, client, applicant, draft):
        client.force_login(applicant)
        response = client.post(edit_url(draft), form_data(draft, title="", action="submit"))
        assert response.status_code == 302
        assert response["Location"] == edit_url(draft)
        draft.refresh_from_db()
        assert (draft.status, draft.title, draft.lock_version) == ("draft", "", 2)
        assert not ApplicationVersion.objects.exists()

    def test_editing_a_submitted_application_redirects_to_its_page(self, client, applicant,
                                                                   draft):
        submit_application(application=draft, by=applicant)
        client.force_login(applicant)
        response = client.get(edit_url(draft))
        assert response["Location"] == reverse("applications:detail", args=[draft.pk])

    def test_changing_a_submitted_application_is_refused(self, client, applicant, draft):
        submit_application(application=draft, by=applicant)
        client.force_login(applicant)
        draft.refresh_from_db()
        response = client.post(edit_url(draft), form_data(draft, title="提出後の変更"))
        assert response.status_code == 409
        draft.refresh_from_db()
        assert draft.title != "提出後の変更"


class TestNewApplication:
    def test_apply_link_starts_a_draft_for_my_organisation(self, client, applicant, open_round,
                                                          organisation):
        client.force_login(applicant)
        url = reverse("applications:new") + f"?round={open_round.pk}"
        page = client.get(url)
        assert page.status_code == 200
        assert organisation.name in page.content.decode()
        response = client.post(url, {"round": open_round.pk, "organisation": organisation.pk})
        application = Application.objects.get()
        assert response["Location"] == edit_url(application)
        assert (application.organisation, application.funding_round, application.created_by) == (
            organisation, open_round, applicant)

    def test_another_organisation_cannot_be_chosen(self, client, outsider, open_round,
                                                   organisation):
        client.force_login(outsider)
        url = reverse("applications:new") + f"?round={open_round.pk}"
        response = client.post(url, {"round": open_round.pk, "organisation": organisation.pk})
        assert response.status_code == 200
        assert not Application.objects.exists()

    def test_a_closed_round_offers_no_form(self, client, applicant, open_round, organisation):
        open_round.status = "closed"
        open_round.save()
        client.force_login(applicant)
        url = reverse("applications:new") + f"?round={open_round.pk}"
        assert 'name="organisation"' not in client.get(url).content.decode()
        client.post(url, {"round": open_round.pk, "organisation": organisation.pk})
        assert not Application.objects.exists()


def test_dashboard_lists_my_applications_with_deadline_in_jst_and_days_left(
    client, applicant, organisation, programme
):
    now = datetime(2026, 6, 1, 9, 0, tzinfo=JST)
    funding_round = OpenRoundFactory(
        programme=programme, opens_at=now - timedelta(days=1),
        closes_at=datetime(2026, 6, 30, 8, 30, tzinfo=ZoneInfo("UTC")),  # 17:30 JST
    )
    mine = ApplicationFactory(funding_round=funding_round, organisation=organisation)
    other = ApplicationFactory(title="他団体の申請", funding_round=funding_round)
    client.force_login(applicant)
    with time_machine.travel(now, tick=False):
        response = client.get(reverse("applications:dashboard"))
    body = response.content.decode()
    assert response.status_code == 200
    assert mine.title in body
    assert other.title not in body
    assert "令和8年6月30日 17:30 (JST)" in body
    assert 'data-days-left="29"' in body
    assert reverse("applications:new") + f"?round={funding_round.pk}" in body
