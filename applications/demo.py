"""Demo applications in both programmes: drafts, submitted ones and one
returned for correction (差戻し), and a
closed call of programme B with ten submitted applications for the review
demo (reviews.demo assigns, scores and decides them).

Runs after accounts.demo and grants.demo (INSTALLED_APPS order) and uses
their organisations (by corporate number, or by name for the 任意団体) and
rounds (by programme code and fiscal year). Organisations missing because
accounts.demo did not run are created here, and so are five more
intermediary organisations for the review call. Idempotent: organisations
are keyed by corporate number (or name), the review call by (programme,
fiscal year, title), applications by (round, organisation, title); content
is written once and a submission is made only while the application is
still a draft.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import Membership, Organisation, User
from core.fiscal import current_fiscal_year, wareki_fiscal_year_label
from core.vocab import LegalForm
from grants import services as round_services
from grants.models import ExpenseCategory, FundingRound, FundingRoundEvent, TargetGroup

from . import services
from .models import Application
from .rules import application_problems

DEMO_DOMAIN = "demo.kodoku.jp"
CODE_A = "npo-community"
CODE_B = "intermediary"

# Corporate numbers are made up but carry a valid check digit.
ORGANISATIONS = {
    "tsunagari": {
        "name": "特定非営利活動法人 つながりの木", "legal_form": LegalForm.NPO,
        "corporate_number": "1011105000123", "prefecture": "13", "municipality": "新宿区",
        "representative_name": "木村 陽子", "contact_email": "info@tsunagari-no-ki.example.jp",
        "owner": "applicant1",
    },
    "engawa": {
        "name": "まちの縁側クラブ", "legal_form": LegalForm.VOLUNTARY, "corporate_number": "",
        "prefecture": "20", "municipality": "松本市", "representative_name": "松本 清",
        "contact_email": "engawa@example.jp", "owner": "applicant2",
    },
    "kansai": {
        "name": "一般社団法人 関西つながり支援センター", "legal_form": LegalForm.GENERAL_INC_ASSOC,
        "corporate_number": "1012705000891", "prefecture": "27", "municipality": "大阪市北区",
        "representative_name": "大西 誠", "contact_email": "office@kansai-tsunagari.example.jp",
        "owner": "applicant2",
    },
    "hidamari": {
        "name": "社会福祉法人 博多ひだまり会", "legal_form": LegalForm.SOCIAL_WELFARE,
        "corporate_number": "9019005000234", "prefecture": "40", "municipality": "福岡市博多区",
        "representative_name": "福田 恵", "contact_email": "hidamari@example.jp",
        "owner": "applicant1",
    },
    # Intermediary organisations of the review call (programme B).
    "kitanodaichi": {
        "name": "認定特定非営利活動法人 北の大地つながりネット",
        "name_kana": "ニンテイトクテイヒエイリカツドウホウジン キタノダイチツナガリネット",
        "legal_form": LegalForm.CERTIFIED_NPO, "corporate_number": "6430005001234",
        "representative_name": "北村 悟", "representative_title": "理事長",
        "postal_code": "060-0042", "prefecture": "01", "municipality": "札幌市中央区",
        "address": "大通西5-8", "contact_email": "office@kitanodaichi.example.jp",
        "phone": "011-555-0101", "owner": "applicant1",
    },
    "miyagi": {
        "name": "公益財団法人 みやぎ地域共生財団",
        "name_kana": "コウエキザイダンホウジン ミヤギチイキキョウセイザイダン",
        "legal_form": LegalForm.PUBLIC_INT_FOUND, "corporate_number": "8370005002468",
        "representative_name": "佐藤 由美", "representative_title": "理事長",
        "postal_code": "980-0811", "prefecture": "04", "municipality": "仙台市青葉区",
        "address": "一番町2-3-10", "contact_email": "info@miyagi-kyosei.example.jp",
        "phone": "022-555-0202", "owner": "applicant2",
    },
    "chubu": {
        "name": "特定非営利活動法人 中部NPO協働ネットワーク",
        "name_kana": "トクテイヒエイリカツドウホウジン チュウブエヌピーオーキョウドウネットワーク",
        "legal_form": LegalForm.NPO, "corporate_number": "5180005003579",
        "representative_name": "加藤 浩二", "representative_title": "代表理事",
        "postal_code": "460-0008", "prefecture": "23", "municipality": "名古屋市中区",
        "address": "栄3-6-1", "contact_email": "contact@chubu-npo-net.example.jp",
        "phone": "052-555-0303", "owner": "applicant2",
    },
    "setouchi": {
        "name": "一般財団法人 せとうち居場所づくり基金",
        "name_kana": "イッパンザイダンホウジン セトウチイバショヅクリキキン",
        "legal_form": LegalForm.GENERAL_INC_FOUND, "corporate_number": "2240005004680",
        "representative_name": "村上 健", "representative_title": "理事長",
        "postal_code": "730-0011", "prefecture": "34", "municipality": "広島市中区",
        "address": "基町11-2", "contact_email": "info@setouchi-ibasho.example.jp",
        "phone": "082-555-0404", "owner": "applicant1",
    },
    "yuimaru": {
        "name": "公益社団法人 おきなわ結いまーる協会",
        "name_kana": "コウエキシャダンホウジン オキナワユイマールキョウカイ",
        "legal_form": LegalForm.PUBLIC_INT_ASSOC, "corporate_number": "1360005005791",
        "representative_name": "比嘉 美咲", "representative_title": "会長",
        "postal_code": "900-0015", "prefecture": "47", "municipality": "那覇市",
        "address": "久茂地1-4-2", "contact_email": "yuimaru@example.jp",
        "phone": "098-555-0505", "owner": "applicant2",
    },
}

COMMON = {
    "summary": "地域の誰もが気軽に立ち寄れる居場所を週3回開き、見守りと交流を組み合わせる。",
    "background": "一人暮らしの高齢者や子育て中の親が増え、地域で孤立しやすい人が増えている。",
    "planned_activities": "地域食堂（週1回）、見守り訪問、多世代交流イベント（月1回）。",
    "sustainability": "事業終了後は会費・寄付と自治体の協働事業で継続する。",
}

# (key, programme, fiscal year or None for this year, org, title, submit?, content)
APPLICATIONS = [
    ("a-submitted", CODE_A, None, "tsunagari", "新宿・まちの縁側食堂プロジェクト", True, {
        "tier": "municipal", "theme": 2, "groups": ["older_alone", "parents_young_children"],
        "prefectures": ["13"], "municipalities": "新宿区",
        "lines": [(0, "personnel", 900_000, "コーディネーター人件費"),
                  (0, "consumables", 300_000, "食材・消耗品"),
                  (1, "personnel", 900_000, "コーディネーター人件費")],
        "indicators": [("居場所の延べ参加者数", "人", 0, 800), ("見守り訪問件数", "件", 0, 120)],
    }),
    ("a-draft", CODE_A, None, "engawa", "松本・縁側でつながる多世代の場", False, {
        "tier": "school_district", "theme": 1, "groups": ["multi_generation"],
        "prefectures": ["20"], "municipalities": "松本市",
        "lines": [(0, "honoraria", 200_000, "講師謝金"), (0, "meetings", 150_000, "会場費")],
        "indicators": [],
    }),
    ("a-returned", CODE_A, None, "hidamari", "博多・ひだまり子ども食堂と見守りの連携", True, {
        "tier": "municipal", "theme": 2, "groups": ["children_youth", "older_alone"],
        "prefectures": ["40"], "municipalities": "福岡市博多区",
        "lines": [(0, "personnel", 800_000, "子ども食堂の調理スタッフ"),
                  (0, "consumables", 350_000, "食材"),
                  (1, "personnel", 800_000, "子ども食堂の調理スタッフ")],
        "indicators": [("子ども食堂の延べ参加者数", "人", 0, 1200)],
    }),
    ("b-submitted", CODE_B, 2023, "kansai", "関西広域NPO伴走支援ネットワーク", True, {
        "tier": "organisation", "theme": 1, "groups": ["children_youth", "middle_aged"],
        "prefectures": ["26", "27", "28"], "municipalities": "",
        "lines": [(0, "personnel", 6_000_000, "伴走支援員"), (0, "travel", 1_500_000, "訪問旅費"),
                  (0, "meetings", 800_000, "研修会")],
        "indicators": [("伴走支援したNPO数", "団体", 0, 30)],
        "members": [("特定非営利活動法人 つながりの木", LegalForm.NPO, "1011105000123", "東京拠点")],
    }),
    ("b-draft", CODE_B, None, "kansai", "中間支援によるDXマッチング基盤づくり", False, {
        "tier": "organisation", "theme": 2, "groups": [], "prefectures": [],
        "municipalities": "", "lines": [], "indicators": [],
    }),
]

# Applications the programme office returned for correction (差戻し), with
# the note the applicant sees.
RETURN_NOTES = {
    "a-returned": "人件費の内訳（人数・時間単価・回数）を予算の説明欄に追記のうえ、再提出してください。",
}

# The review call: this fiscal year's first call of programme B, closed and
# handed to the reviewers. (key, org, title, days before closing it was
# submitted, content.) Keys are shared with reviews.demo, which holds each
# one's scores and decision. Every budget stays within the ¥10,000,000 ceiling.
REVIEW_APPLICATIONS = [
    ("kansai-base", "kansai", "近畿圏の小規模NPOへの伴走支援と地域資源マップづくり", 3, {
        "theme": 1, "groups": ["children_youth", "older_alone", "hikikomori"],
        "prefectures": ["25", "26", "27", "28", "29", "30"], "municipalities": "",
        "summary": "近畿2府4県の小規模NPO30団体に伴走支援員を付け、課題の抽出、地域資源の見える化、"
                   "資金・人材の確保を半年単位で支援する。",
        "background": "孤独・孤立対策に取り組む小規模NPOの多くは専従職員がおらず、会計・広報・人材確保の"
                      "負担が活動の継続を妨げている。地域の支援資源も団体ごとにしか把握されておらず、"
                      "団体間の連携につながっていない。",
        "activities": "①団体ごとの組織診断と課題抽出（年2回）\n②伴走支援員による月1回の訪問・オンライン面談\n"
                      "③府県ごとの地域資源マップの作成と公開\n④団体間の学び合い会（年4回）",
        "sustainability": "支援の手順を手引書にまとめ、府県社会福祉協議会・中間支援組織と共同の研修"
                          "プログラムとして継続する。伴走支援の一部は会費制に移行する。",
        "lines": [("personnel", 5_400_000, "伴走支援員3名（各0.5人工）"),
                  ("travel", 1_200_000, "団体訪問の旅費"),
                  ("honoraria", 600_000, "会計・広報の専門家謝金"),
                  ("meetings", 400_000, "学び合い会の会場費"),
                  ("printing", 350_000, "地域資源マップの印刷")],
        "indicators": [("伴走支援した団体数", "団体", 30), ("地域資源マップの掲載件数", "件", 400),
                       ("学び合い会の延べ参加者数", "人", 240)],
        "members": [("公益財団法人 ひょうごボランタリー基金", LegalForm.PUBLIC_INT_FOUND,
                     "6140005007913", "兵庫県内の伴走支援")],
    }),
    ("kitanodaichi", "kitanodaichi", "北海道・北東北の過疎地NPO運営基盤強化プロジェクト", 6, {
        "theme": 1, "groups": ["older_alone", "middle_aged_men", "multi_generation"],
        "prefectures": ["01", "02", "03"], "municipalities": "",
        "summary": "過疎地で居場所や見守りを担う小規模団体を、巡回相談とオンライン面談を組み合わせて"
                   "伴走支援し、会計・担い手確保・行政との協働を強化する。",
        "background": "移動に時間のかかる北海道・北東北では中間支援が都市部に偏り、過疎地の小規模団体には"
                      "相談先がない。担い手の高齢化で活動の休止が相次いでいる。",
        "activities": "①巡回相談会（年6地域）\n②オンライン個別相談（月2回）\n"
                      "③担い手募集・引継ぎの手引きの作成\n④自治体・社会福祉協議会との協働会議",
        "sustainability": "自治体の協働事業化と企業版ふるさと納税の活用を働きかけ、巡回相談を続ける。",
        "lines": [("personnel", 4_200_000, "相談員2名"),
                  ("travel", 2_100_000, "巡回相談の旅費（過疎地・離島）"),
                  ("communication", 300_000, "オンライン相談の通信費"),
                  ("printing", 250_000, "担い手引継ぎの手引き"),
                  ("meetings", 300_000, "協働会議の会場費")],
        "indicators": [("伴走支援した団体数", "団体", 20), ("巡回相談会の延べ参加者数", "人", 180)],
    }),
    ("chubu-base", "chubu", "東海3県のNPO組織診断と担い手育成講座", 1, {
        "theme": 1, "groups": ["multi_generation"],
        "prefectures": ["21", "23", "24"], "municipalities": "",
        "summary": "愛知・岐阜・三重のNPOを対象に組織診断を行い、結果に応じた担い手育成講座を開く。",
        "background": "NPOの担い手不足が続いており、講座への要望が多い。",
        "activities": "①組織診断（希望団体）\n②担い手育成講座（全8回）\n③修了者の交流会",
        "sustainability": "講座の受講料収入で継続を検討する。",
        "lines": [("personnel", 3_000_000, "事務局員"), ("honoraria", 1_500_000, "講師謝金"),
                  ("meetings", 900_000, "講座の会場費"), ("printing", 600_000, "テキスト印刷"),
                  ("consumables", 300_000, "講座の消耗品")],
        "indicators": [("講座の延べ受講者数", "人", 300)],
    }),
    ("miyagi-dx", "miyagi", "東北6県 寄付物品・ボランティアマッチングシステムの共同運用", 9, {
        "theme": 2, "groups": ["financial_hardship", "single_parents", "older_alone"],
        "prefectures": ["02", "03", "04", "05", "06", "07"], "municipalities": "",
        "summary": "企業・個人からの寄付物品とボランティアの申し出を、居場所や見守りを行うNPOの必要と"
                   "つなぐマッチングシステムを、東北6県の中間支援組織で共同運用する。",
        "background": "災害支援で培った物資マッチングの仕組みが平時には使われず、NPOは食材・日用品の調達に"
                      "多くの時間を割いている。寄付したい企業も届け先を見つけられていない。",
        "activities": "①既存システムの改修（平時の寄付物品・ボランティア登録）\n"
                      "②6県の受け手NPOの登録と操作研修\n③倉庫・配送拠点との連携\n"
                      "④利用状況の分析と改善",
        "sustainability": "システム利用料（寄付企業の負担）と共同募金会の助成で運用費を賄う。",
        "lines": [("personnel", 3_600_000, "コーディネーター2名"),
                  ("communication", 2_400_000, "システム利用料・配送費"),
                  ("consumables", 800_000, "登録用端末・梱包資材"),
                  ("travel", 700_000, "6県の研修旅費"), ("meetings", 300_000, "運用会議")],
        "indicators": [("マッチング件数", "件", 600), ("登録した受け手NPO数", "団体", 80)],
    }),
    ("tsunagari-dx", "tsunagari", "チャット相談から地域の居場所へつなぐ全国連携の仕組みづくり", 4, {
        "theme": 2, "groups": ["children_youth", "students", "mental_health"],
        "nationwide": True, "prefectures": [], "municipalities": "",
        "summary": "孤独・孤立の悩みをチャットで受ける団体に、相談員研修、ケース共有の仕組み、"
                   "地域の居場所への紹介機能を提供する。",
        "background": "チャット相談の利用は増えているが、相談の後に地域の支援や居場所へつなぐ手段がなく、"
                      "相談員の負担も大きい。",
        "activities": "①全国の居場所情報の登録と紹介機能の開発\n②相談員研修（年6回、オンライン）\n"
                      "③スーパービジョンとケース検討会\n④紹介後の追跡（同意を得た人のみ）",
        "sustainability": "参加団体の分担金と企業の社会貢献プログラムで運営する。",
        "lines": [("personnel", 4_800_000, "事務局・開発担当"),
                  ("honoraria", 900_000, "スーパーバイザー謝金"),
                  ("communication", 1_500_000, "チャット基盤の利用料"),
                  ("travel", 400_000, "連携団体の訪問"), ("meetings", 200_000, "ケース検討会")],
        "indicators": [("地域の支援・居場所につないだ件数", "件", 250),
                       ("研修を受けた相談員数", "人", 120)],
    }),
    ("chubu-dx", "chubu", "NPO向け業務DX講座とクラウド会計の導入支援", 2, {
        "theme": 2, "groups": ["multi_generation"],
        "prefectures": ["21", "22", "23", "24"], "municipalities": "",
        "summary": "小規模NPOにクラウド会計・オンライン会議・寄付決済の導入を支援し、事務作業を減らして"
                   "活動の時間を増やす。",
        "background": "紙と表計算ソフトでの事務が多く、会計担当者の負担が大きい。",
        "activities": "①業務DX講座（全6回）\n②クラウド会計の導入支援（40団体）\n③タブレットの貸出",
        "sustainability": "導入後の保守は各団体の負担とし、講座はオンライン教材として公開する。",
        "lines": [("personnel", 2_800_000, "導入支援員"), ("honoraria", 1_200_000, "講師謝金"),
                  ("consumables", 1_000_000, "貸出用タブレット"), ("meetings", 400_000, "講座の会場費")],
        "indicators": [("導入を支援した団体数", "団体", 40)],
    }),
    ("setouchi", "setouchi", "瀬戸内メンズシェッド・ネットワーク：中高年単身男性の居場所づくり", 8, {
        "theme": 3, "groups": ["middle_aged_men", "middle_aged", "older_alone"],
        "prefectures": ["33", "34", "37", "38"], "municipalities": "",
        "summary": "退職前後の中高年単身男性が、ものづくりや修理を通じて集える「メンズシェッド」を"
                   "瀬戸内4県に広げ、運営する団体を支援する。",
        "background": "中高年の単身男性は地域活動への参加が少なく、高齢者・子育ての施策の対象にもなりにくい。"
                      "退職を機に社会とのつながりを失う例が多い。",
        "activities": "①4県で各2か所のシェッドの立ち上げ支援\n②運営者研修と交流会\n"
                      "③ホームセンター・地元企業との道具・材料の提供連携\n④参加者の変化の聞き取り",
        "sustainability": "シェッドは会費と修理の謝礼で自主運営し、地元企業の協賛で続ける。",
        "lines": [("personnel", 3_900_000, "コーディネーター"),
                  ("consumables", 1_600_000, "工具・材料"), ("travel", 1_100_000, "4県の巡回旅費"),
                  ("honoraria", 500_000, "技術指導の謝金"), ("meetings", 300_000, "運営者交流会"),
                  ("printing", 200_000, "参加案内のチラシ")],
        "indicators": [("立ち上げたシェッド数", "か所", 8), ("シェッドの延べ参加者数", "人", 1200)],
    }),
    ("kansai-midlife", "kansai", "就職氷河期世代の孤立を防ぐ関西オンライン居場所", 5, {
        "theme": 3, "groups": ["middle_aged", "job_seekers", "hikikomori"],
        "prefectures": ["26", "27", "28"], "municipalities": "",
        "summary": "40代・50代の就職氷河期世代が匿名で参加できるオンライン居場所と、月1回の対面交流会を開く。",
        "background": "就職氷河期世代には相談できる場が少ない。",
        "activities": "①オンライン居場所（週2回）\n②対面交流会（月1回）",
        "sustainability": "参加者の寄付で続けたい。",
        "lines": [("personnel", 2_400_000, "ファシリテーター"),
                  ("communication", 600_000, "オンライン会議の利用料"),
                  ("meetings", 500_000, "交流会の会場費"), ("honoraria", 300_000, "ゲスト謝金")],
        "indicators": [("オンライン居場所の延べ参加者数", "人", 600)],
    }),
    ("hidamari", "hidamari", "福祉施設を地域に開く九州の多世代居場所とひだまりサポーター制度", 7, {
        "theme": 4, "groups": ["older_people", "children_youth", "parents_young_children"],
        "prefectures": ["40", "41", "43"], "municipalities": "",
        "summary": "特別養護老人ホームや保育所の空き時間・空きスペースを多世代の居場所として地域に開き、"
                   "住民ボランティア「ひだまりサポーター」を養成する。",
        "background": "福祉施設は専門職と設備を備えながら、利用者以外の住民との接点が少ない。"
                      "施設の側も地域の担い手不足に悩んでいる。",
        "activities": "①3県12施設での居場所の開設支援\n②サポーター養成講座（年4回）\n"
                      "③施設職員向けの地域連携研修\n④施設間の事例共有会",
        "sustainability": "施設の地域公益活動として位置づけ、社会福祉法人の自主財源で続ける。",
        "lines": [("personnel", 4_000_000, "地域連携コーディネーター"),
                  ("honoraria", 800_000, "養成講座の講師謝金"),
                  ("consumables", 900_000, "居場所の備品"), ("travel", 600_000, "施設訪問の旅費"),
                  ("printing", 300_000, "サポーター手帳")],
        "indicators": [("地域に開いた施設数", "か所", 12), ("養成したサポーター数", "人", 150)],
        "members": [("社会福祉法人 くまもと陽だまり会", LegalForm.SOCIAL_WELFARE, "7330005008024",
                     "熊本県内の施設"),
                    ("特定非営利活動法人 さが子ども食堂ネット", LegalForm.NPO, "4300005009135",
                     "佐賀県内の子ども食堂との連携")],
    }),
    ("yuimaru", "yuimaru", "空き店舗を活用した沖縄・奄美の「ゆいまーる」地域拠点づくり", 10, {
        "theme": 5, "groups": ["older_alone", "children_youth", "foreign_residents"],
        "prefectures": ["46", "47"], "municipalities": "那覇市、沖縄市、名護市、奄美市",
        "summary": "商店街の空き店舗や公民館を誰でも立ち寄れる地域拠点として改修・運営する団体を支援し、"
                   "離島を含む沖縄・奄美で拠点どうしのネットワークをつくる。",
        "background": "中心市街地の空き店舗が増える一方、一人暮らしの高齢者や外国人住民が気軽に集える"
                      "場所が少ない。離島では支援団体どうしの交流も難しい。",
        "activities": "①拠点を運営する10団体への伴走支援\n②空き店舗の所有者・商店街との調整\n"
                      "③拠点間のオンライン交流会（月1回）\n④離島での出張研修",
        "sustainability": "拠点でのカフェ・物販の収益と市町村の空き店舗対策事業で続ける。",
        "lines": [("personnel", 3_500_000, "伴走支援員"), ("travel", 1_800_000, "離島への航空運賃"),
                  ("consumables", 700_000, "拠点の備品"), ("meetings", 400_000, "交流会"),
                  ("communication", 300_000, "オンライン交流の通信費")],
        "indicators": [("運営を支援した地域拠点数", "か所", 10), ("拠点の延べ利用者数", "人", 3000)],
    }),
]


def _user(local_part: str) -> User | None:
    return User.objects.filter(email=f"{local_part}@{DEMO_DOMAIN}").first()


def _organisation(spec: dict) -> Organisation:
    values = {k: v for k, v in spec.items() if k != "owner"}
    if values["corporate_number"]:
        found = Organisation.objects.filter(corporate_number=values["corporate_number"]).first()
    else:
        found = Organisation.objects.filter(name=values["name"]).first()
    organisation = found or Organisation.objects.create(**values)
    owner = _user(spec["owner"]) or User.objects.create_user(
        email=f'{spec["owner"]}@{DEMO_DOMAIN}', password=None, full_name=spec["owner"],
        email_verified_at=timezone.now(),
    )
    Membership.objects.get_or_create(
        organisation=organisation, user=owner, defaults={"role": Membership.Role.OWNER}
    )
    return organisation


def _content(funding_round, spec: dict, title: str) -> dict:
    categories = dict(ExpenseCategory.objects.values_list("code", "pk"))
    first = funding_round.fiscal_year
    return {
        **COMMON,
        "title": title,
        "theme_id": funding_round.themes.filter(number=spec["theme"]).values_list("pk", flat=True).first(),
        "tier_id": funding_round.tiers.filter(code=spec["tier"]).values_list("pk", flat=True).first(),
        "target_group_ids": list(
            TargetGroup.objects.filter(code__in=spec["groups"]).values_list("pk", flat=True)
        ),
        "prefectures": spec["prefectures"],
        "municipalities": spec["municipalities"],
        "budget_lines": [
            {"fiscal_year": first + offset, "expense_category_id": categories[code],
             "amount_yen": amount, "description": text}
            for offset, code, amount, text in spec["lines"]
            if first + offset in funding_round.fiscal_years
        ],
        "indicators": [
            {"name": name, "unit": unit, "fiscal_year": first + offset, "target": target}
            for name, unit, offset, target in spec["indicators"]
        ],
        "is_consortium": bool(spec.get("members")),
        "consortium_members": [
            {"name": name, "legal_form": form, "corporate_number": number, "role": role}
            for name, form, number, role in spec.get("members", [])
        ],
    }


def _review_content(funding_round, spec: dict, title: str) -> dict:
    """A review-call application in the shape of `_content` (one fiscal year)."""
    content = _content(funding_round, {
        **spec, "tier": "organisation",
        "lines": [(0, code, amount, text) for code, amount, text in spec["lines"]],
        "indicators": [(name, unit, 0, target) for name, unit, target in spec["indicators"]],
    }, title)
    content.update({
        "summary": spec["summary"], "background": spec["background"],
        "planned_activities": spec["activities"], "sustainability": spec["sustainability"],
        "is_nationwide": spec.get("nationwide", False),
    })
    return content


def _round(code: str, year: int | None) -> FundingRound | None:
    return (
        FundingRound.objects.filter(programme__code=code, fiscal_year=year or current_fiscal_year())
        .exclude(title_ja=review_round_title(year or current_fiscal_year()))
        .order_by("id").first()
    )


def _submit(application: Application, by, before: timedelta = timedelta(days=2)) -> None:
    if application.funding_round.is_accepting():
        services.submit_application(application=application, by=by)
        return
    # NOTE: a closed round (FY2023, the review call) no longer accepts; its
    # demo submission is frozen as if made some days before the deadline.
    if application_problems(application):
        return
    at = application.funding_round.closes_at - before
    services._freeze(Application.objects.get(pk=application.pk), by=by, at=at)


def _ensure_application(funding_round, organisation, title, content, *, submit,
                        before=timedelta(days=2)):
    owner = organisation.memberships.order_by("id").first().user
    application, created = Application.objects.get_or_create(
        funding_round=funding_round, organisation=organisation, title=title,
        defaults={"created_by": owner},
    )
    if created:
        services.save_draft(application=application, by=owner,
                            lock_version=application.lock_version, content=content)
    application.refresh_from_db()
    if submit and application.status == Application.Status.DRAFT:
        _submit(application, owner, before)
    return application


# --- The review call --------------------------------------------------------------


def review_round_title(year: int) -> str:
    return f"{wareki_fiscal_year_label(year)} 孤独・孤立対策活動基盤整備モデル調査 一次公募"


def review_round() -> FundingRound | None:
    """The demo call under review (reviews.demo finds it here)."""
    year = current_fiscal_year()
    return FundingRound.objects.filter(
        programme__code=CODE_B, fiscal_year=year, title_ja=review_round_title(year)
    ).order_by("id").first()


def _at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _ensure_review_round(by) -> FundingRound | None:
    """This year's first call of programme B, copied from FY2023 through the
    round services and then closed, so reviews.demo can start its review."""
    existing = review_round()
    if existing is not None:
        return existing
    year = current_fiscal_year()
    source = FundingRound.objects.filter(programme__code=CODE_B, fiscal_year=2023).first()
    if source is None or year <= source.fiscal_year:
        return None
    funding_round = round_services.copy_round(source=source, by=by, fiscal_year=year)
    values = {"title_ja": review_round_title(year),
              "title_en": f"FY{year} first call: capacity-building model for intermediary "
                          "organisations"}
    if funding_round.closes_at > timezone.now() - timedelta(days=7):
        # Early in the fiscal year the copied spring window is still ahead:
        # put the call in the past so it can be closed.
        values.update(opens_at=_at(-60, 10), closes_at=_at(-14, 17))
    funding_round = round_services.update_round(funding_round=funding_round, by=by, **values)
    # NOTE: a round past its closing time cannot be opened through
    # grants.services (open_round refuses it), so the demo records the call's
    # past as events and sets the status directly, as grants.demo does for
    # FY2023. reviews.demo moves it on to reviewing through the services.
    for from_status, to_status, reason in (
        (FundingRound.Status.DRAFT, FundingRound.Status.OPEN, "デモデータ: 一次公募の開始"),
        (FundingRound.Status.OPEN, FundingRound.Status.CLOSED, "デモデータ: 一次公募の受付終了"),
    ):
        FundingRoundEvent.objects.create(
            funding_round=funding_round, actor=by, action=FundingRoundEvent.Action.STATUS,
            from_status=from_status, to_status=to_status, reason=reason,
        )
    FundingRound.objects.filter(pk=funding_round.pk).update(status=FundingRound.Status.CLOSED)
    funding_round.refresh_from_db()
    return funding_round


def _load_review_call(organisations, by) -> int:
    funding_round = _ensure_review_round(by)
    if funding_round is None:
        return 0
    # Submitted in the order they came in, so receipt numbers follow the times.
    for _key, org_key, title, days_before, spec in sorted(REVIEW_APPLICATIONS, key=lambda r: -r[3]):
        _ensure_application(funding_round, organisations[org_key], title,
                            _review_content(funding_round, spec, title),
                            submit=True, before=timedelta(days=days_before, hours=days_before % 5))
    return len(REVIEW_APPLICATIONS)


def load(out) -> list[tuple[str, str, str]]:
    """Drafts and submitted applications in programmes A and B, and the
    submitted applications of the review call."""
    organisations = {key: _organisation(spec) for key, spec in ORGANISATIONS.items()}
    made = 0
    for key, code, year, org_key, title, submit, spec in APPLICATIONS:
        funding_round = _round(code, year)
        if funding_round is None:
            continue
        application = _ensure_application(funding_round, organisations[org_key], title,
                                          _content(funding_round, spec, title), submit=submit)
        application.refresh_from_db()
        if key in RETURN_NOTES and application.status == Application.Status.SUBMITTED:
            services.return_application(application=application, by=_user("staff"),
                                        note=RETURN_NOTES[key])
        made += 1
    in_review = _load_review_call(organisations, _user("staff"))
    out.write(f"applications: {made} demo applications and {in_review} in the review call "
              f"({timezone.localdate():%Y-%m-%d})")
    return []
