"""The personal-data guard spots people, not activities: names with an
honorific, an age or 要配慮個人情報 about one person, マイナンバー (check digit
verified) and addresses; a report holding them is refused until staff accept."""

import pytest
from django.urls import reverse
from django.utils import translation

from reporting.models import ProgressReport, ReportEvent
from reporting.privacy import KIND_LABELS, find_personal_data, is_valid_my_number
from reporting.services import personal_data_findings, save_report_draft
from tests.factories import ReportFactory

SENTENCE = "田中一郎さん（82歳、要介護2、うつ病で通院中）"


def test_the_sentence_is_flagged_for_name_age_and_care():
    found = find_personal_data(SENTENCE)

    assert ("name", "田中一郎さん") in found
    assert ("age", "82歳") in found
    assert ("sensitive", "要介護2") in found
    assert ("sensitive", "うつ病") in found
    assert ("sensitive", "通院") in found


@pytest.mark.parametrize(("text", "name"), [
    ("事務局の佐藤様へお礼を伝えた", "佐藤様"),
    ("鈴木氏の講演があった", "鈴木氏"),
    ("毎回、山田花子ちゃんが来る", "山田花子ちゃん"),
    ("太郎君が手伝った", "太郎君"),
    ("、さくらちゃんが絵を描いた", "さくらちゃん"),
    ("マリアさんが通訳した", "マリアさん"),
    ("木村さんが来た", "木村さん"),
    ("佐々木さんの畑で収穫", "佐々木さん"),
])
def test_names_with_an_honorific_are_flagged(text, name):
    assert ("name", name) in find_personal_data(text)


@pytest.mark.parametrize("text", [
    "皆さん、ありがとうございました。",
    "住民の皆様にお知らせした",
    "利用者さんが増えた",
    "お子さんと一緒に参加した",
    "参加者の方から声があった",
    "今日はたくさんの人が来た",
    "みなさんで片付けた",
    "ボランティアスタッフさんが手伝ってくれた",
    "ご家族様にも参加いただいた",
    "社協さんと連携した",
    "様々な世代が集った",
    "多種多様な参加者",
    "氏名は記入しない",
    "お疲れ様でした",
    "ホームヘルパーさんの協力",
    "彼氏と参加した方もいた",
    "親御さんの相談を受けた",
    "高校生さんが受付を担当",
    "事務局ご担当様",
    "ソーシャルワーカーさんと面談",
])
def test_words_for_groups_and_roles_are_not_names(text):
    assert [f for f in find_personal_data(text) if f[0] == "name"] == []


@pytest.mark.parametrize("text", [
    "認知症カフェを開催した。",
    "80歳以上の方が参加し、要介護の方も来た。",
    "60〜70歳の男性が中心。",
    "生活保護受給世帯の子ども向け学習支援",
    "うつ病の方の居場所づくりを続けた",
    "いきいき百歳体操を実施",
    "0歳児と保護者の交流会",
    "延べ798人、予算1,000,000円",
])
def test_activity_descriptions_are_not_flagged(text):
    assert find_personal_data(text) == []


def test_age_and_diagnosis_of_an_anonymised_person_are_flagged():
    found = find_personal_data("Aさん(70歳)は統合失調症で入院していた。")

    assert ("age", "70歳") in found
    assert ("sensitive", "統合失調症") in found
    assert ("sensitive", "入院") in found
    assert not [f for f in found if f[0] == "name"]


def test_everyday_words_in_a_sentence_about_a_person_are_not_sensitive():
    found = find_personal_data("山田さんはがんばって準備した。FALSEの表示を直した。")
    assert [f for f in found if f[0] == "sensitive"] == []


def test_only_the_sentence_about_the_person_is_flagged():
    found = find_personal_data("認知症カフェを開いた。山田さんは生活保護を受けている。")

    assert ("sensitive", "生活保護") in found
    assert ("sensitive", "認知症") not in found


@pytest.mark.parametrize("text", [
    "番号は123456789018です",
    "番号は1234-5678-9018です",
    "番号は1234 5678 9018です",
    "番号は１２３４５６７８９０１８です",
    "番号は１２３４－５６７８－９０１８です",
])
def test_my_number_with_a_valid_check_digit_is_flagged(text):
    assert [k for k, _ in find_personal_data(text)] == ["my_number"]


@pytest.mark.parametrize("number", ["123456789012", "1234-5678-9017", "000000000001"])
def test_twelve_digits_with_a_wrong_check_digit_are_not_my_number(number):
    assert not is_valid_my_number(number)
    assert not [f for f in find_personal_data(f"番号 {number}") if f[0] == "my_number"]


def test_thirteen_digit_corporate_number_is_not_my_number():
    assert find_personal_data("法人番号 1234567890123") == []


@pytest.mark.parametrize(("text", "address"), [
    ("千代田区神田三丁目5番地に集合", "千代田区神田三丁目5番地"),
    ("世田谷区三軒茶屋2-3-4の集会所", "世田谷区三軒茶屋2-3-4"),
    ("横浜市中区山下町1番2号", "横浜市中区山下町1番2号"),
    ("長野県松本市中央1丁目2", "長野県松本市中央1丁目2"),
])
def test_addresses_are_flagged(text, address):
    assert ("address", address) in find_personal_data(text)


def test_an_address_inside_a_longer_one_is_reported_once():
    found = find_personal_data("大阪府大阪市北区梅田3丁目1")
    assert found == [("address", "大阪府大阪市北区梅田3丁目1")]


@pytest.mark.parametrize(("language", "kind", "label"), [
    ("ja", "name", "個人名"),
    ("ja", "age", "年齢"),
    ("ja", "sensitive", "要配慮個人情報（要介護度・病名・障害・生活保護など）"),
    ("ja", "my_number", "マイナンバー（個人番号）"),
    ("en", "name", "Personal name"),
    ("en", "my_number", "My Number (individual number)"),
])
def test_kinds_have_translated_labels(language, kind, label):
    with translation.override(language):
        assert str(KIND_LABELS[kind]) == label


# --- The report flow -------------------------------------------------------------------


@pytest.fixture
def report(db, award, applicant):
    return ReportFactory(award=award, kind="interim", by=applicant)


def _submit(client, report, episodes):
    return client.post(reverse("reporting:report_edit", args=[report.pk]), {
        "lock_version": report.lock_version, "summary": "居場所を毎週開いた。",
        "episodes": episodes, "action": "submit",
        "act-TOTAL_FORMS": 0, "act-INITIAL_FORMS": 0,
    })


def test_report_with_the_sentence_is_refused_until_staff_accept(client, report, applicant,
                                                                   officer):
    client.force_login(applicant)

    response = _submit(client, report, SENTENCE)

    assert response.status_code == 200
    page = response.content.decode()
    assert "田中一郎さん" in page and "要配慮個人情報" in page
    report.refresh_from_db()
    assert (report.status, report.episodes) == ("draft", SENTENCE)
    assert not report.versions.exists()
    kinds = {f["kind"] for f in personal_data_findings(report)}
    assert {"name", "age", "sensitive"} <= kinds

    client.force_login(officer)
    accepted = client.post(reverse("reporting:report_personal_data", args=[report.pk]),
                           {"reason": "本人と家族の同意書あり"})
    assert accepted.status_code == 302
    event = ReportEvent.objects.get(report=report, action="personal_data_accepted")
    assert event.actor == officer
    assert {"kind": "name", "field": "episodes", "text": "田中一郎さん"} in event.changes["findings"]

    client.force_login(applicant)
    report.refresh_from_db()
    response = _submit(client, report, SENTENCE)

    assert response.status_code == 302
    assert ProgressReport.objects.get(pk=report.pk).status == "submitted"


def test_a_new_name_after_acceptance_is_refused_again(client, report, applicant, officer):
    save_report_draft(report=report, by=applicant, lock_version=report.lock_version,
                      data={"episodes": SENTENCE})
    client.force_login(officer)
    client.post(reverse("reporting:report_personal_data", args=[report.pk]), {"reason": "同意あり"})
    client.force_login(applicant)
    report.refresh_from_db()

    response = _submit(client, report, SENTENCE + "。山本花子さんも来た。")

    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == "draft"
    assert "山本花子さん" in response.content.decode()
