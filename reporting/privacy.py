"""Spot obvious personal data in free text: e-mail addresses, phone numbers,
postal addresses, personal names with an honorific (田中一郎さん), マイナンバー
(individual numbers, check digit verified) and, about one person, ages and
要配慮個人情報 (sensitive information: care levels, illnesses, disabilities,
treatment, public assistance). Reports are about activities, not people
(DOMAIN.md); the form warns and submission refuses unless programme staff
accept.

Text is NFKC-normalised first, so full-width digits (０３－１２３４) match too.

NOTE: ages and sensitive terms are flagged only in a sentence that also
points at one person (a name, an initial such as Aさん, or an exact age):
"認知症カフェを開催" or "80歳以上の方が参加" describe an activity, while
"田中一郎さん（82歳、要介護2、うつ病で通院中）" describes a person.
"""

import re
import unicodedata

from django.utils.translation import gettext_lazy as _

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# 0 then 9 or 10 more digits, optionally split by hyphens, spaces or brackets:
# 03-1234-5678, 090-1234-5678, 0312345678, 03(1234)5678.
PHONE = re.compile(r"(?<![\d-])0\d{1,4}[-\s(]?\d{1,4}[-\s)]?\d{4}(?![\d-])")
_PREFECTURE = r"(?:北海道|東京都|(?:京都|大阪)府|[^\s\d、。,]{2,3}県)"
# 〒100-0001, or a 7-digit postal code right before a prefecture name.
POSTAL = re.compile(r"〒\s?\d{3}-?\d{4}|\d{3}-\d{4}\s*" + _PREFECTURE)
# A street address: prefecture, municipality, then block numbers.
STREET = re.compile(
    _PREFECTURE + r"[^\s、。,]{0,12}?[市区町村][^\s、。,]{0,16}?\d+(?:丁目|番地?|-)\s?\d+"
)
# Without a prefecture: a municipality (…市, …区, …町, …村, …郡) and a town,
# then 丁目/番地/号 (三丁目, 12番地, 3番4号) or three hyphenated block numbers
# (1-2-3); two bare numbers after a place name are too often something else.
_BLOCK = r"(?:\d+|[〇一二三四五六七八九十百千]+)"
MUNICIPAL_STREET = re.compile(
    r"[一-龥ヶケ]{1,5}[市区町村郡][一-龥ぁ-んァ-ヴーヶケ]{0,10}?"
    r"(?:" + _BLOCK + r"丁目(?:\s?\d+(?:番地?|-)(?:\s?\d+号?)?)?"
    r"|" + _BLOCK + r"番地(?:の?" + _BLOCK + r")?"
    r"|" + _BLOCK + r"番" + _BLOCK + r"号"
    r"|\d+-\d+-\d+)"
)
# マイナンバー: 12 digits, whole or split 4-4-4 by hyphens or spaces.
MY_NUMBER = re.compile(r"(?<![\d-])\d{4}[-\s]?\d{4}[-\s]?\d{4}(?![\d-])")

KIND_LABELS = {
    "email": _("E-mail address"),
    "phone": _("Phone"),
    "address": _("Address"),
    "name": _("Personal name"),
    "age": _("Age of a person"),
    "sensitive": _("Sensitive information (care level, illness, disability, welfare)"),
    "my_number": _("My Number (individual number)"),
}

# --- マイナンバー ------------------------------------------------------------------


def my_number_check_digit(base11: str) -> int:
    """Check digit of an 11-digit base (個人番号 ordinance, art. 5): with Pn the
    n-th digit from the right and Qn = n + 1 for n <= 6, n - 5 for n >= 7,
    r = Σ Pn×Qn mod 11; the digit is 0 when r <= 1, else 11 - r."""
    total = sum(int(d) * (n + 1 if n <= 6 else n - 5)
                for n, d in enumerate(reversed(base11), 1))
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_valid_my_number(value: str) -> bool:
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", value) if ch.isdigit())
    return len(digits) == 12 and int(digits[-1]) == my_number_check_digit(digits[:-1])


# --- Names with an honorific -----------------------------------------------------

_KANJI = "一-龥々〆ヵヶ"
_HONORIFIC = r"(?:さん|さま|様|氏|君|くん|ちゃん)"
# A run of 2-4 kanji, or a whole katakana or hiragana word of 2-8 / 2-4
# characters (a kana word must start the run, so 今日はたくさん is no name).
NAME = re.compile(
    r"(?P<stem>[" + _KANJI + r"]{2,4}|(?<![ァ-ヴー])[ァ-ヴー]{2,8}"
    r"|(?<![ぁ-ゖ" + _KANJI + r"ァ-ヴー])[ぁ-ゖ]{2,4})"
    r"(?P<honorific>" + _HONORIFIC + r")"
)
# The stem is a word for a role, a group, a relative or a place, not a name
# (利用者さん, 皆様, 息子さん, 社協さん, 市役所様, スタッフさん, みなさん);
# checked on the stem's end.
_NOT_NAME_ENDINGS = (
    "者", "員", "民", "客", "師", "士", "官", "係", "達", "族", "手", "屋", "家", "長",
    "会", "協", "所", "院", "校", "局", "社", "店", "館", "園", "寺", "組", "課", "部",
    "庁", "署", "街", "市", "区", "県", "都", "府", "省", "神", "仏", "王", "殿", "皆",
    "奥", "母", "父", "兄", "姉", "妹", "弟", "娘", "嫁", "婿", "孫", "妻", "爺", "婆",
    "猫", "犬", "方", "様", "包括", "先生", "生徒", "児童", "学生", "息子", "主人",
    "旦那", "親子", "双子", "夫婦", "夫妻", "本人", "友人", "知人", "老人", "個人",
    "大人", "住人", "他人", "恋人", "管理人", "外国人", "日本人", "苦労", "馳走", "世話",
    "利用", "参加", "御", "校生", "高生", "院生", "修生", "習生", "講生", "業生", "入生",
    "園児", "幼児", "乳児", "職", "工", "童", "番", "隣人", "配達", "担当", "師匠",
    "みな", "みんな", "たく", "おじ", "おば", "じい", "ばあ", "にい", "ねえ", "あなた",
    "どなた", "どちら", "こちら", "そちら", "あちら", "おつかれ", "ごくろう", "おかげ",
    "ボランティア", "スタッフ", "サポーター", "ママ", "パパ", "メンバー", "ゲスト",
    "ドライバー", "ヘルパー", "ケアマネ", "コーディネーター", "オーナー", "ユーザー",
    "カスタマー", "ファン", "リーダー", "シェフ", "マスター", "ワン", "ニャン", "センター",
    "クライアント", "ファミリー", "ベビー", "キッズ", "ボラ", "ワーカー", "カウンセラー",
    "トレーナー", "インストラクター", "コーチ", "キャスト", "ドクター", "ナース", "シッター",
)
# Words one honorific character makes with the stem's last character
# (多様, 同様, 模様, 彼氏, 同氏, 諸君, 主君), and what follows it when it
# starts another word (様々, 様子, 氏名, 氏神, 君臨, 君主).
_NOT_NAME_BEFORE = {"様": "多同模仕異有文紋左", "氏": "彼同両諸各源", "君": "諸主暴名若細"}
_NOT_HONORIFIC_BEFORE = {"様": "々子式相態", "氏": "名子神族", "君": "臨主子"}


def _is_name(match: re.Match, text: str) -> bool:
    stem, honorific = match.group("stem"), match.group("honorific")
    start = match.start()
    if start and text[start - 1] in "おご御":
        return False  # お子さん, ご家族様, ご苦労様
    if stem[0] in "おご御" or stem.endswith(_NOT_NAME_ENDINGS):
        return False
    if stem[-1] in _NOT_NAME_BEFORE.get(honorific, ""):
        return False
    after = text[match.end():match.end() + 1]
    return not (after and after in _NOT_HONORIFIC_BEFORE.get(honorific, ""))


def _names(text: str) -> list[re.Match]:
    return [m for m in NAME.finditer(text) if _is_name(m, text)]


# --- Ages and sensitive information about one person ---------------------------------

_KANJI_NUMBER = "〇一二三四五六七八九十百"
# An exact age (82歳, 八十二歳), not a range or a band (80歳以上, 60〜70歳, 80代).
AGE = re.compile(
    r"(?<![\d〜~\-–―ー" + _KANJI_NUMBER + r"])(?:\d{1,3}|[" + _KANJI_NUMBER + r"]{1,5})\s?[歳才]"
    r"(?!\s?(?:以上|以下|未満|超|から|〜|~|-|代|前後|以降|位|くらい|ぐらい|程度|頃|ごろ|まで|台|児"
    r"|体操))"
)
# An anonymised person (Aさん, B氏, ○○様): not flagged itself, but it makes an
# age or a diagnosis in the same sentence about one person.
INITIAL = re.compile(r"(?<![A-Za-z])(?:[A-Z]{1,2}|[○●◯〇]{1,3})" + _HONORIFIC)
_DIAGNOSES = (
    "うつ病", "鬱病", "躁うつ病", "双極性障害", "認知症", "統合失調症", "発達障害", "自閉症",
    "自閉スペクトラム症", "注意欠如", "アスペルガー", "適応障害", "パニック障害",
    "不安障害", "摂食障害", "強迫性障害", "依存症", "心的外傷", "てんかん",
    "癌", "脳梗塞", "脳卒中", "糖尿病", "心臓病", "難病", "エイズ", "肝炎", "結核",
    "パーキンソン病", "人工透析", "透析",
)
SENSITIVE = re.compile(
    r"要介護\s?[1-5一二三四五]?|要支援\s?[12一二]?|介護認定"
    r"|(?:身体|知的|精神|聴覚|視覚|肢体|発達)?障(?:害|がい|碍)(?:者手帳|等級\s?\d級?)?"
    r"|療育手帳|障害年金"
    r"|" + "|".join(re.escape(d) for d in _DIAGNOSES) + r""
    # がん (cancer), not がんばる or がんこ; ADHD, not a longer Latin word.
    r"|(?<![ぁ-ゖ])がん(?![ばぼこじねらとぺ])"
    r"|(?<![A-Za-z])(?:ADHD|PTSD|HIV|ALS)(?![A-Za-z])"
    r"|[" + _KANJI + r"ァ-ヴー]{1,6}病(?![院棟室])"
    r"|通院|入院|退院|服薬|治療中|精神科|心療内科|手術"
    r"|生活保護|生保受給|前科|逮捕歴|服役|犯罪歴|刑務所"
)
# 病 words that are not an illness.
_NOT_ILLNESS = ("看病", "臆病", "仮病", "疫病")
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")


def _about_one_person(sentence: str) -> list[tuple[str, str]]:
    """Ages and sensitive terms of a sentence that points at one person."""
    ages = [m.group(0) for m in AGE.finditer(sentence)]
    points_at_person = bool(ages or _names(sentence) or INITIAL.search(sentence))
    if not points_at_person:
        return []
    sensitive = [
        m.group(0).strip() for m in SENSITIVE.finditer(sentence)
        if not m.group(0).endswith(_NOT_ILLNESS)
    ]
    found = [("sensitive", s) for s in sensitive]
    if sensitive or _names(sentence) or INITIAL.search(sentence):
        found = [("age", a.strip()) for a in ages] + found
    return found


# --- Entry point -----------------------------------------------------------------

KINDS = (
    ("email", EMAIL), ("phone", PHONE), ("address", POSTAL), ("address", STREET),
    ("address", MUNICIPAL_STREET), ("my_number", MY_NUMBER),
)


def _pattern_findings(normal: str):
    for kind, pattern in KINDS:
        for match in pattern.finditer(normal):
            value = match.group(0).strip()
            if kind == "phone" and not 10 <= sum(c.isdigit() for c in value) <= 11:
                continue
            if kind == "my_number" and not is_valid_my_number(value):
                continue
            yield kind, value


def find_personal_data(text: str) -> list[tuple[str, str]]:
    """(kind, matched text) pairs found in `text`, in order, without repeats;
    an address inside a longer address found too is left out."""
    if not text:
        return []
    normal = unicodedata.normalize("NFKC", str(text))
    candidates = list(_pattern_findings(normal))
    candidates += [("name", m.group(0)) for m in _names(normal)]
    for sentence in _SENTENCE.findall(normal):
        candidates += _about_one_person(sentence)
    found: list[tuple[str, str]] = []
    for kind, value in candidates:
        if (kind, value) in found:
            continue
        if kind == "address" and any(
            k == kind and value in other and value != other for k, other in candidates
        ):
            continue
        found.append((kind, value))
    return found
