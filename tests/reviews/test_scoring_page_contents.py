"""What the reviewer reads before scoring: the budget by fiscal year with its
totals, the indicators and the attachments (downloaded through the
application's policy-checked view: 404 for a reviewer who is conflicted,
undeclared or not assigned). The queue names the project and the round.
Both pages read with a constant number of queries."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Attachment, BudgetLine, Indicator
from reviews.services import declare_conflict
from tests.factories import (
    ExpenseCategoryFactory,
    ReviewAssignmentFactory,
    ReviewerFactory,
    submitted_review,
)

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _attach(application, name="事業計画書.pdf"):
    attachment = Attachment(application=application, original_name=name,
                            content_type="application/pdf", size_bytes=len(PDF))
    attachment.file.save(name, ContentFile(PDF), save=False)
    attachment.save()
    return attachment


@pytest.fixture
def assignment(make_application, rubric):
    """A declared assignment on an application with a two-year budget, two
    indicators and an attachment."""
    application = make_application(status="under_review", requested_yen=0,
                                   title="孤立を防ぐ居場所づくり")
    fy = application.funding_round.fiscal_year
    travel = ExpenseCategoryFactory(code="travel", name_ja="旅費", sort_order=20)
    personnel = ExpenseCategoryFactory(code="staff", name_ja="人件費", sort_order=10)
    for year, category, amount in [(fy, personnel, 1_200_000), (fy, travel, 300_000),
                                   (fy + 1, personnel, 800_000)]:
        BudgetLine.objects.create(application=application, fiscal_year=year,
                                  expense_category=category, amount_yen=amount,
                                  description=f"{category.name_ja}の内訳")
    Indicator.objects.create(application=application, name="居場所の延べ参加者数", unit="人",
                             fiscal_year=fy, target=800)
    Indicator.objects.create(application=application, name="見守り訪問件数", unit="件",
                             fiscal_year=fy + 1, target=120)
    _attach(application)
    return ReviewAssignmentFactory(application=application)


def _page(client, assignment):
    client.force_login(assignment.reviewer)
    response = client.get(reverse("reviews:assignment", args=[assignment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_budget_by_fiscal_year_with_totals(client, assignment):
    page = _page(client, assignment)
    fy = assignment.application.funding_round.fiscal_year
    section = page[page.index('id="budget-heading"'):page.index('id="indicators-heading"')]
    assert f"{fy}年度" in section and f"{fy + 1}年度" in section
    # Lines in the category order, a subtotal per year, then the total.
    assert section.index("人件費の内訳") < section.index("旅費の内訳")
    assert "1,200,000円" in section and "300,000円" in section
    assert "1,500,000円" in section  # first year's subtotal
    assert "800,000円" in section
    assert "2,300,000円" in section  # every year
    assert section.index("1,500,000円") < section.index(f"{fy + 1}年度")


def test_indicators_and_attachment_links(client, assignment):
    page = _page(client, assignment)
    assert "居場所の延べ参加者数" in page and "800" in page and "見守り訪問件数" in page
    attachment = Attachment.objects.get()
    url = reverse("applications:attachment", args=[assignment.application_id, attachment.pk])
    assert f'href="{url}"' in page and "事業計画書.pdf" in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_other_reviewers_stay_anonymous(client, assignment):
    other = ReviewAssignmentFactory(application=assignment.application,
                                    reviewer__full_name="匿名 太郎")
    submitted_review(other, [4, 4])
    submitted_review(assignment, [3, 3])
    page = _page(client, assignment)
    assert "匿名 太郎" not in page and other.reviewer.email not in page
    assert "審査委員A" in page


@pytest.mark.parametrize("who", ["conflicted", "undeclared", "unassigned"])
def test_attachment_is_404_for_reviewers_without_access(client, assignment, who):
    attachment = Attachment.objects.get()
    if who == "unassigned":
        reviewer = ReviewerFactory()
    else:
        mine = ReviewAssignmentFactory(application=assignment.application,
                                       no_conflict_declared_at=None)
        reviewer = mine.reviewer
        if who == "conflicted":
            declare_conflict(assignment=mine, by=reviewer, reason="理事を兼ねている")
    client.force_login(reviewer)
    url = reverse("applications:attachment", args=[assignment.application_id, attachment.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("reviews:assignment", args=[assignment.pk])).status_code == 404


def test_queue_shows_the_project_title_and_round(client, assignment):
    client.force_login(assignment.reviewer)
    page = client.get(reverse("reviews:queue")).content.decode()
    assert "孤立を防ぐ居場所づくり" in page
    assert assignment.application.funding_round.title in page


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_scoring_page_queries_do_not_grow_with_lines_and_files(client, assignment):
    application = assignment.application
    category = BudgetLine.objects.first().expense_category
    client.force_login(assignment.reviewer)
    url = reverse("reviews:assignment", args=[assignment.pk])

    def grow_to(n):
        while BudgetLine.objects.count() < n:
            BudgetLine.objects.create(application=application, expense_category=category,
                                      fiscal_year=application.funding_round.fiscal_year + 2,
                                      amount_yen=10_000)
        while Attachment.objects.count() < n:
            _attach(application, name=f"資料{Attachment.objects.count()}.pdf")
        while Indicator.objects.count() < n:
            Indicator.objects.create(application=application, name="指標", unit="件",
                                     fiscal_year=application.funding_round.fiscal_year,
                                     target=Indicator.objects.count())

    for model in (BudgetLine, Attachment, Indicator):
        model.objects.all().delete()
    grow_to(2)
    small = _count(client, url)
    grow_to(10)
    assert _count(client, url) == small
