import pytest

from core.errors import DomainError
from reporting.models import ReportEvent, ReportVersion
from reporting.privacy import find_personal_data
from reporting.services import accept_personal_data, save_report_draft, submit_report
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("連絡は info@example.jp まで", "email", "info@example.jp"),
        ("電話 03-1234-5678 へ", "phone", "03-1234-5678"),
        ("携帯090-1234-5678です", "phone", "090-1234-5678"),
        ("全角 ０９０－１２３４－５６７８", "phone", "090-1234-5678"),
        ("〒100-0001 東京都千代田区千代田1-1", "address", "〒100-0001"),
        ("住所は大阪府大阪市北区梅田3丁目1", "address", "大阪府大阪市北区梅田3丁目1"),
    ],
)
def test_obvious_personal_data_is_found(text, kind, found):
    assert (kind, found) in find_personal_data(text)


@pytest.mark.parametrize("text", ["2023-04-01に開催", "延べ798人、予算1,000,000円",
                                  "参加者 12-15 名", "東京都内の3区で実施"])
def test_ordinary_activity_text_is_not_flagged(text):
    assert find_personal_data(text) == []


@pytest.fixture
def report(award, applicant):
    report = ReportFactory(award=award, kind="interim", by=applicant)
    return save_report_draft(
        report=report, by=applicant, lock_version=report.lock_version,
        data={"summary": "実施した。", "outcomes": "成果",
              "episodes": "Aさん(090-1234-5678)が毎回来てくれた。"},
    )


def test_submission_with_personal_data_is_refused_and_the_draft_kept(report, applicant):
    with pytest.raises(DomainError) as error:
        submit_report(report=report, by=applicant)

    assert (error.value.code, error.value.field) == ("personal_data", "episodes")
    report.refresh_from_db()
    assert report.status == "draft" and "090-1234-5678" in report.episodes
    assert not ReportVersion.objects.exists()


def test_staff_acceptance_allows_exactly_what_was_found(report, applicant, officer):
    accept_personal_data(report=report, by=officer, reason="会場(公共施設)の代表番号のため")

    event = ReportEvent.objects.get(action="personal_data_accepted")
    assert event.actor == officer
    assert event.changes["findings"] == [
        {"field": "episodes", "kind": "phone", "text": "090-1234-5678"}
    ]
    report.refresh_from_db()
    assert submit_report(report=report, by=applicant).status == "submitted"


def test_new_personal_data_after_acceptance_is_refused_again(report, applicant, officer):
    accept_personal_data(report=report, by=officer, reason="公共施設の番号")
    report.refresh_from_db()
    save_report_draft(report=report, by=applicant, lock_version=report.lock_version,
                      data={"voices": "連絡先 someone@example.com"})

    with pytest.raises(DomainError) as error:
        submit_report(report=report, by=applicant)
    assert error.value.field == "voices"
