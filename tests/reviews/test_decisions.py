"""Decisions: amounts within the request, the budget and the theme maximum;
statuses move; the round becomes decided; notices are generated once,
e-mailed once, and never name a reviewer."""

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse

from applications.models import Application, ApplicationEvent
from core.errors import DomainError
from grants.models import FundingRound, Theme
from reviews.models import Decision
from reviews.notices import notice_content
from reviews.queries import decisions_for_organisation
from reviews.services import record_decision, record_decisions
from reviews.tasks import generate_decision_notice
from tests.factories import ReviewAssignmentFactory, UserFactory, submitted_review


@pytest.fixture
def reviewed(make_application, rubric):
    """An application under review with two submitted reviews and a draft."""
    application = make_application(status="under_review", requested_yen=2_000_000)
    first = ReviewAssignmentFactory(application=application,
                                    reviewer__full_name="秘密 審査員", reviewer__email="secret@x.jp")
    submitted_review(first, [5, 4], comment_to_applicant="地域連携が優れている",
                     comment_to_staff="内部メモ：代表者を知っている")
    second = ReviewAssignmentFactory(application=application)
    submitted_review(second, [3, 4], comment_to_applicant="予算の根拠を示すこと")
    return application, first.reviewer


def test_award_moves_the_application_and_sends_one_notice(
    reviewed, officer, django_capture_on_commit_callbacks
):
    application, _reviewer = reviewed
    with django_capture_on_commit_callbacks(execute=True):
        decision = record_decision(application=application, outcome="awarded",
                                   amount_yen=1_500_000, reason="先駆性が高い", by=officer)
    application.refresh_from_db()
    assert application.status == Application.Status.AWARDED
    assert ApplicationEvent.objects.filter(application=application, to_status="awarded").exists()
    decision.refresh_from_db()
    assert decision.notice_file.name.endswith(".pdf")
    assert decision.notice_generated_at and decision.notice_emailed_at
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [application.organisation.contact_email]
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")

    stored = decision.notice_file.name
    assert generate_decision_notice(decision.pk) is False  # a rerun sends nothing
    decision.refresh_from_db()
    assert len(mail.outbox) == 1 and decision.notice_file.name == stored


def test_round_becomes_decided_when_every_application_is(reviewed, make_application, officer,
                                                         review_round):
    application, _reviewer = reviewed
    other = make_application(status="eligible")
    record_decision(application=application, outcome="declined", reason="", by=officer)
    review_round.refresh_from_db()
    assert review_round.status == FundingRound.Status.REVIEWING
    record_decision(application=other, outcome="declined", reason="対象外の活動", by=officer)
    review_round.refresh_from_db()
    assert review_round.status == FundingRound.Status.DECIDED
    assert Application.objects.get(pk=other.pk).status == Application.Status.DECLINED


@pytest.mark.parametrize(
    ("amount", "code"),
    [(2_000_001, "amount_above_request"), (None, "amount_required"), (0, "amount_required")],
)
def test_award_amount_is_checked(reviewed, officer, amount, code):
    application, _reviewer = reviewed
    with pytest.raises(DomainError) as caught:
        record_decision(application=application, outcome="awarded", amount_yen=amount, by=officer)
    assert caught.value.code == code
    assert not Decision.objects.exists()
    assert Application.objects.get(pk=application.pk).status == "under_review"


def test_budget_and_theme_maximum_are_enforced(reviewed, make_application, officer, review_round):
    application, _reviewer = reviewed
    FundingRound.objects.filter(pk=review_round.pk).update(budget_yen=2_500_000)
    Theme.objects.filter(pk=application.theme_id).update(max_awards=1)
    second = make_application(status="under_review", requested_yen=1_000_000)
    record_decision(application=application, outcome="awarded", amount_yen=2_000_000, by=officer)

    with pytest.raises(DomainError) as caught:
        record_decision(application=second, outcome="awarded", amount_yen=600_000, by=officer)
    assert caught.value.code == "over_budget"
    with pytest.raises(DomainError) as caught:
        record_decision(application=second, outcome="awarded", amount_yen=400_000, by=officer)
    assert caught.value.code == "theme_full"
    assert Decision.objects.count() == 1


def test_an_application_is_decided_once(reviewed, make_application, officer):
    application, _reviewer = reviewed
    make_application(status="under_review")  # keeps the round under review
    record_decision(application=application, outcome="declined", by=officer)
    with pytest.raises(DomainError) as caught:
        record_decision(application=application, outcome="awarded", amount_yen=1, by=officer)
    assert caught.value.code == "already_decided"
    assert Decision.objects.get().outcome == "declined"


def test_bulk_decisions_are_all_or_nothing_with_progress(
    reviewed, make_application, officer, review_round, django_capture_on_commit_callbacks
):
    application, _reviewer = reviewed
    others = [make_application(status="under_review", requested_yen=500_000) for _ in range(2)]
    with pytest.raises(DomainError):
        record_decisions(funding_round=review_round, by=officer, items=[
            {"application": others[0], "outcome": "awarded", "amount_yen": 500_000},
            {"application": others[1], "outcome": "awarded", "amount_yen": 900_000},
        ])
    assert not Decision.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        batch = record_decisions(funding_round=review_round, by=officer, items=[
            {"application": application, "outcome": "awarded", "amount_yen": 2_000_000},
            {"application": others[0], "outcome": "awarded", "amount_yen": 500_000},
            {"application": others[1], "outcome": "declined", "reason": "順位"},
        ])
    assert batch.total == 3
    assert batch.decisions.filter(notice_generated_at__isnull=False).count() == 3
    assert len(mail.outbox) == 3
    review_round.refresh_from_db()
    assert review_round.status == FundingRound.Status.DECIDED


def test_notice_names_no_reviewer_and_carries_only_applicant_comments(reviewed, officer):
    application, reviewer = reviewed
    decision = record_decision(application=application, outcome="declined",
                               reason="予算の範囲を超えた", by=officer)
    text = repr(notice_content(decision))
    assert "地域連携が優れている" in text and "予算の根拠を示すこと" in text
    assert "内部メモ" not in text
    assert reviewer.full_name not in text and reviewer.email not in text
    assert "不採択通知書" in text


def test_applicant_sees_the_outcome_without_reviewer_identity(
    client, reviewed, officer, django_capture_on_commit_callbacks
):
    application, reviewer = reviewed
    member = application.organisation.memberships.create(user=UserFactory()).user
    with django_capture_on_commit_callbacks(execute=True):
        decision = record_decision(application=application, outcome="awarded",
                                   amount_yen=1_000_000, by=officer)
    client.force_login(member)
    page = client.get(reverse("reviews:decision", args=[decision.pk])).content.decode()
    assert "地域連携が優れている" in page
    assert "内部メモ" not in page
    assert reviewer.full_name not in page and reviewer.email not in page
    pdf = client.get(reverse("reviews:notice", args=[decision.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    body = b"".join(pdf.streaming_content)
    assert body.startswith(b"%PDF")
    assert reviewer.email.encode() not in body
    assert reviewer.full_name.encode("utf-16-be") not in body


@pytest.mark.parametrize("persona", ["outsider", "reviewer"])
def test_others_get_404_on_decisions_and_notices(client, request, reviewed, officer,
                                                 django_capture_on_commit_callbacks, persona):
    application, _reviewer = reviewed
    with django_capture_on_commit_callbacks(execute=True):
        decision = record_decision(application=application, outcome="declined", by=officer)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("reviews:decision", args=[decision.pk])).status_code == 404
    assert client.get(reverse("reviews:notice", args=[decision.pk])).status_code == 404


def test_decisions_for_organisation_partial(reviewed, officer):
    application, reviewer = reviewed
    record_decision(application=application, outcome="awarded", amount_yen=1_000_000, by=officer)
    decisions = decisions_for_organisation(application.organisation)
    html = render_to_string("reviews/partials/organisation_decisions.html",
                            {"decisions": decisions})
    assert application.receipt_number in html
    assert reviewer.full_name not in html
