"""Issue 12: the unfiltered API application list runs statements compiled once
per process and scope key (api.application_rows.STATEMENTS). The key holds no
data, so what changes in the database shows at once: memberships, new
applications, assignments and conflicts all move the rows of a list whose
statements are already compiled, and the answers stay those of the ORM path."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.application_rows import STATEMENTS, Rows, Statements
from applications.models import Application
from applications.queries import applications_listed_for
from core.policies import scope_key
from reviews.models import Assignment, ConflictOfInterest
from tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    OrganisationFactory,
    ReviewAssignmentFactory,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/applications/"


def _ids(client, query=None):
    body = client.get(URL, query or {}).json()
    return body["count"], sorted(row["id"] for row in body["results"])


def _compiled(key) -> set:
    return {k for k in STATEMENTS.items if k[1] == key}


def test_an_applicant_sees_memberships_and_applications_as_they_change(
        api_as, applicant, organisation, open_round):
    client = api_as("applicant")
    mine = ApplicationFactory(funding_round=open_round, organisation=organisation)
    assert _ids(client) == (1, [mine.pk])
    assert _compiled(scope_key(applicant)), "the statements are compiled under the key"

    other = OrganisationFactory()
    theirs = ApplicationFactory(funding_round=open_round, organisation=other)
    assert _ids(client) == (1, [mine.pk])
    membership = MembershipFactory(organisation=other, user=applicant)
    assert _ids(client) == (2, sorted([mine.pk, theirs.pk]))
    newer = ApplicationFactory(funding_round=open_round, organisation=other)
    assert _ids(client) == (3, sorted([mine.pk, theirs.pk, newer.pk]))
    membership.delete()
    assert _ids(client) == (1, [mine.pk])


def test_a_reviewer_sees_assignments_and_conflicts_as_they_change(api_as, reviewer):
    client = api_as("reviewer")
    assert _ids(client) == (0, [])
    assignment = ReviewAssignmentFactory(reviewer=reviewer)
    assert _ids(client) == (1, [assignment.application_id])
    ConflictOfInterest.objects.create(application=assignment.application, reviewer=reviewer,
                                      kind=ConflictOfInterest.Kind.choices[0][0])
    assert _ids(client) == (0, [])
    ConflictOfInterest.objects.all().delete()
    Assignment.objects.filter(pk=assignment.pk).update(no_conflict_declared_at=None)
    assert _ids(client) == (0, [])
    Assignment.objects.filter(pk=assignment.pk).update(no_conflict_declared_at=timezone.now())
    assert _ids(client) == (1, [assignment.application_id])


def test_staff_lists_and_pages_follow_new_rows(api_as, officer, open_round, organisation):
    client = api_as("officer")
    for i in range(5):
        ApplicationFactory(funding_round=open_round, organisation=organisation,
                           status=Application.Status.SUBMITTED, title=f"申請{i}")
    assert _ids(client, {"page_size": 2})[0] == 5
    extra = ApplicationFactory(funding_round=open_round, organisation=organisation,
                               status=Application.Status.SUBMITTED)
    count, page = _ids(client, {"page_size": 2})
    assert count == 6 and extra.pk in page  # newest first
    last = client.get(URL, {"page_size": 2, "page": 3}).json()
    assert len(last["results"]) == 2 and last["next"] is None


@pytest.mark.parametrize("persona", ["officer", "applicant", "reviewer"])
def test_cached_statements_run_the_queries_the_orm_would(request, persona, open_round,
                                                        organisation):
    user = request.getfixturevalue(persona)
    for status in ("draft", "submitted", "under_review"):
        ApplicationFactory(funding_round=open_round, organisation=organisation, status=status)
    ReviewAssignmentFactory(application__organisation=organisation, reviewer=user)
    key = scope_key(user)

    def run(rows):
        with CaptureQueriesContext(connection) as queries:
            answer = (rows.count(), list(rows[0:50]))
        return answer, [(q["sql"]) for q in queries.captured_queries]

    orm = run(Rows(applications_listed_for(user)))
    compiled = run(Rows(lambda: applications_listed_for(user), key))
    again = run(Rows(lambda: applications_listed_for(user), key))
    assert orm == compiled == again
    assert orm[0][0] >= 1


def test_statements_are_bounded():
    statements = Statements(size=3)
    for i in range(10):
        assert statements.get(("k", i), lambda i=i: i) == i
    assert list(statements.items) == [("k", 7), ("k", 8), ("k", 9)]
    assert statements.get(("k", 8), lambda: "rebuilt") == 8
    assert list(statements.items)[-1] == ("k", 8)


def test_scope_keys_hold_no_data(officer, oversight, applicant, reviewer, organisation):
    assert scope_key(officer) == scope_key(oversight) == ("all",)
    assert scope_key(applicant) == ("user", applicant.pk, applicant.role)
    assert scope_key(reviewer) == ("user", reviewer.pk, reviewer.role)
    reviewer.is_active = False
    assert scope_key(reviewer) == ("nothing",)
