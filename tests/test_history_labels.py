"""Histories, personal-data warnings and status words in the words of the
active language (issue 13.3): the demo's history pages in Japanese show no
raw English label or internal value ("Payment recorded", "draft → submitted",
"phone", "created", "outcomes:"), and the English pages no internal codes."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tests.test_accessibility import APPLICANT, STAFF, _objects

# The pages are fetched once, in a module fixture that rolls back what it loads.
pytestmark = pytest.mark.django_db

# Internal values that must never reach a reader as such.
RAW = re.compile(
    r"(?<![\w@.-])(draft|submitted|accepted|revision_requested|under_review|awarded|declined|"
    r"active|planned|reported|settled|stopped|suspended|created|updated|deleted|owner|member|"
    r"phone|email|address|outcomes|summary|episodes|know_how|payment_recorded|"
    r"payment_scheduled|year_state|budget_set|evidence_added|personal_data_accepted|status)"
    r"(?![\w@-])"
)
CODES = re.compile(r"\b[a-z]+_[a-z_]+\b")  # snake_case anywhere in English text


class _Text(HTMLParser):
    """Visible text: no tags, attributes, scripts or styles."""

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def _text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def _english_event_labels() -> list[str]:
    from awards.models import AwardEvent
    from reporting.findings.models import FindingEvent

    with translation.override("en"):
        return [str(v) for v in [*AwardEvent.Action.labels, *FindingEvent.Action.labels]]


PAGES = [  # (who, url name, key of the pk in _objects() or of the extra objects)
    (STAFF, "reporting:award_detail", "award"),
    (APPLICANT, "reporting:award_detail", "award"),
    (STAFF, "reporting:report_detail", "report"),
    (APPLICANT, "reporting:report_detail", "report"),
    (STAFF, "reporting:report_detail", "report_draft"),
    (APPLICANT, "reporting:report_edit", "report_draft"),
    (STAFF, "accounts:organisation_detail", "organisation"),
    (APPLICANT, "accounts:organisation_detail", "organisation"),
    (STAFF, "reporting:finding_detail", "finding"),
    (STAFF, "grants:round_history", "round"),
    (STAFF, "applications:detail", "submitted"),
]


@pytest.fixture(scope="module")
def pages(demo_data, django_db_blocker):
    """Each page in ja and en, after adding the events the demo lacks: a
    payment, an organisation edit and personal data in a draft report."""
    from accounts.models import Organisation, User
    from accounts.services import update_organisation
    from awards.models import Award, AwardYear
    from awards.services import record_payment
    from reporting.models import ProgressReport
    from reporting.services import save_report_draft

    fetched = {}
    with django_db_blocker.unblock(), transaction.atomic():
        pks = _objects()
        staff, applicant = User.objects.get(email=STAFF), User.objects.get(email=APPLICANT)
        award = Award.objects.get(pk=pks["award"])
        year = award.years.filter(state=AwardYear.State.ACTIVE).order_by("fiscal_year").first()
        record_payment(award_year=year, kind="advance", amount_yen=1_000,
                       paid_on=timezone.localdate() - timedelta(days=1), by=staff)
        update_organisation(organisation=Organisation.objects.get(pk=pks["organisation"]),
                            by=applicant, phone="03-0000-0000")
        draft = ProgressReport.objects.get(pk=pks["report_draft"])
        save_report_draft(report=draft, lock_version=draft.lock_version, by=applicant,
                          data={"summary": "報告", "outcomes": "連絡は 090-1234-5678 まで"})
        for email, name, key in PAGES:
            for language in ("ja", "en"):
                client = Client(headers={"accept-language": language})
                client.force_login(User.objects.get(email=email))
                client.cookies["django_language"] = language
                url = reverse(name, args=[pks[key]])
                response = client.get(url)
                fetched[(email, name, key, language)] = (response.status_code,
                                                         _text(response.content.decode()))
        transaction.set_rollback(True)
    return fetched


@pytest.mark.parametrize(("email", "name", "key"), PAGES, ids=lambda v: str(v).split("@")[0])
def test_japanese_pages_show_no_raw_english_or_internal_values(pages, email, name, key):
    status, text = pages[(email, name, key, "ja")]
    assert status == 200
    raw = sorted(set(RAW.findall(text)))
    english = [label for label in _english_event_labels() if label in text]
    assert raw == [] and english == [], f"raw {raw}, English labels {english}"
    assert "→ submitted" not in text and "outcomes:" not in text


@pytest.mark.parametrize(("email", "name", "key"), PAGES, ids=lambda v: str(v).split("@")[0])
def test_english_pages_show_no_internal_codes(pages, email, name, key):
    status, text = pages[(email, name, key, "en")]
    assert status == 200
    assert sorted(set(CODES.findall(text))) == []


def test_the_added_events_are_shown_in_japanese(pages):
    award_ja = pages[(STAFF, "reporting:award_detail", "award", "ja")][1]
    assert "支払を記録" in award_ja
    edit_ja = pages[(APPLICANT, "reporting:report_edit", "report_draft", "ja")][1]
    assert "090-1234-5678" in edit_ja and "電話番号" in edit_ja and "成果" in edit_ja
    org_en = pages[(STAFF, "accounts:organisation_detail", "organisation", "en")][1]
    assert "Phone" in org_en or "phone" in org_en


def test_translatable_strings_use_names_makemessages_extracts():
    """`gettext_lazy as _lazy` hid the award history labels from the catalog:
    makemessages only extracts _(), gettext*() and the like."""
    from pathlib import Path

    from django.conf import settings

    alias = re.compile(r"import (?:gettext|gettext_lazy|pgettext|pgettext_lazy|ngettext) as "
                       r"(?!_\b)\w+")
    root = Path(settings.BASE_DIR)
    offenders = [
        str(path.relative_to(root)) for path in root.rglob("*.py")
        if ".venv" not in path.parts and "tests" not in path.parts
        and alias.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
