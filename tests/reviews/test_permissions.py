"""Who may open and change what, over every persona: outside the scope 404,
inside without the right 403, and a refusal changes nothing."""

import pytest
from django.urls import reverse

from reviews.models import Assignment, Criterion, Decision, ReviewerProfile, ReviewEvent
from tests.factories import ReviewAssignmentFactory, ReviewerFactory

PERSONAS = ["applicant", "outsider", "reviewer", "oversight", "other_officer", "officer"]


def snapshot():
    return {
        "assignments": list(Assignment.objects.order_by("pk").values()),
        "criteria": list(Criterion.objects.order_by("pk").values()),
        "decisions": list(Decision.objects.order_by("pk").values()),
        "profiles": list(ReviewerProfile.objects.order_by("pk").values()),
        "events": list(ReviewEvent.objects.order_by("pk").values()),
    }


@pytest.fixture
def setup(make_application, rubric, review_round):
    application = make_application()
    ReviewerFactory()
    return review_round, application


READ = {"applicant": 404, "outsider": 404, "reviewer": 404, "oversight": 200,
        "other_officer": 200, "officer": 200}
WRITE = {"applicant": 404, "outsider": 404, "reviewer": 404, "oversight": 403,
         "other_officer": 403, "officer": 302}


@pytest.mark.parametrize("page", ["round", "rubric", "assignments", "ranking", "decisions"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_round_pages_read(client, request, setup, persona, page):
    review_round, _application = setup
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse(f"reviews:{page}", args=[review_round.pk]))
    assert response.status_code == READ[persona]


@pytest.mark.parametrize(
    ("page", "data"),
    [
        ("rubric", {"action": "default"}),
        ("assignments", {"action": "auto", "k": 1, "max_load": 5, "min_load": 0}),
        ("decisions", {"action": "single", "single-outcome": "declined", "single-reason": "x"}),
    ],
)
@pytest.mark.parametrize("persona", PERSONAS)
def test_round_pages_write(client, request, setup, persona, page, data):
    review_round, application = setup
    if page == "decisions":
        data = dict(data, **{"single-application": application.pk})
    client.force_login(request.getfixturevalue(persona))
    before = snapshot()
    response = client.post(reverse(f"reviews:{page}", args=[review_round.pk]), data)
    assert response.status_code == WRITE[persona]
    if WRITE[persona] != 302:
        assert snapshot() == before
    else:
        assert snapshot() != before


@pytest.mark.parametrize("persona", PERSONAS)
def test_anonymous_and_persona_on_the_round_list(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    expected = 200 if persona in {"oversight", "other_officer", "officer"} else 403
    assert client.get(reverse("reviews:round_list")).status_code == expected
    assert client.get(reverse("reviews:reviewers")).status_code == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_inviting_reviewers_is_for_staff(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    before = snapshot()
    response = client.post(reverse("reviews:reviewer_invite"), {
        "email": "new.reviewer@example.jp", "full_name": "新 審査員", "expertise_themes": ["1"],
        "prefectures": ["13"], "is_active": "on",
    })
    expected = 302 if persona in {"officer", "other_officer"} else 403
    assert response.status_code == expected
    if expected == 403:
        assert snapshot() == before
    else:
        assert ReviewerProfile.objects.get().user.email == "new.reviewer@example.jp"


@pytest.mark.parametrize("persona", PERSONAS)
def test_assignment_page_scope(client, request, make_application, rubric, persona):
    user = request.getfixturevalue(persona)
    assignment = ReviewAssignmentFactory(application=make_application(status="under_review"))
    client.force_login(user)
    url = reverse("reviews:assignment", args=[assignment.pk])
    expected = 200 if persona in {"oversight", "other_officer", "officer"} else 404
    assert client.get(url).status_code == expected
    before = snapshot()
    response = client.post(url, {})
    assert response.status_code == (403 if expected == 200 else 404)
    assert snapshot() == before


def test_anonymous_is_sent_to_log_in(client, setup):
    review_round, _application = setup
    response = client.get(reverse("reviews:ranking", args=[review_round.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
