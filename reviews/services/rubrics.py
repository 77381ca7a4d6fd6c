"""Rubrics: settings, criteria, copying and the default rubric."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.transitions import record

from ..models import Criterion, ReviewEvent, Rubric, Score
from .common import locked_round

# The default rubric for the model-project rounds (data, stored as entered):
# (name, description, weight, descriptors for scores 1–5).
DEFAULT_CRITERIA = [
    (
        "先駆性", "早期対応・予防的な取組としての新しさ。他地域のモデルとなりうるか。", 2,
        ["既存の取組と変わらない", "一部に新しさがある", "地域にとって新しい要素がある",
         "先駆的で他地域の参考になる", "極めて先駆的で全国展開が期待できる"],
    ),
    (
        "実現可能性", "実施体制・スケジュール・手法が具体的で、計画どおり実施できるか。", 2,
        ["実施は困難", "課題が多い", "概ね実施可能", "具体的で実施可能性が高い",
         "体制・実績とも十分で確実に実施できる"],
    ),
    (
        "助成終了後の持続可能性", "助成期間終了後も取組を継続する見通しと財源・体制があるか。", 1,
        ["継続の見通しがない", "見通しが不明確", "一定の見通しがある",
         "具体的な継続計画がある", "財源・体制とも確保され継続が確実"],
    ),
    (
        "予算の妥当性", "経費の積算が事業内容に照らして適正か。", 1,
        ["不適正な経費が多い", "見直しが必要", "概ね妥当", "妥当", "極めて適正で効率的"],
    ),
    (
        "地域・多様な主体との連携", "行政・NPO・企業・住民など多様な主体と連携しているか。", 1,
        ["連携がない", "連携が限定的", "一定の連携がある", "多様な主体と連携している",
         "水平的な連携が確立し相乗効果が高い"],
    ),
    (
        "孤独・孤立の解消への効果", "対象者の孤独・孤立の予防・解消に効果が見込めるか。", 3,
        ["効果が見込めない", "効果が限定的", "一定の効果が見込める", "高い効果が見込める",
         "極めて高い効果と波及が見込める"],
    ),
]

SETTING_FIELDS = (
    "hide_scores_until_submitted",
    "reviews_per_application",
    "max_load",
    "min_load",
    "review_due_on",
    "disagreement_threshold_percent",
    "funding_line_margin_percent",
)
CRITERION_FIELDS = ("name", "description", "weight", "scale_min", "scale_max", "descriptors")


def _rubric(funding_round) -> Rubric:
    rubric, _created = Rubric.objects.get_or_create(funding_round=funding_round)
    return rubric


def _require_unscored(funding_round) -> None:
    """Criteria are fixed once anyone has scored: totals must stay comparable."""
    if Score.objects.filter(review__assignment__application__funding_round=funding_round).exists():
        raise DomainError(
            _("Reviewers have already scored this round; its criteria can no longer change."),
            code="rubric_in_use",
        )


def _check_settings(values: dict) -> None:
    k = values.get("reviews_per_application")
    if k is not None and k < 1:
        raise DomainError(
            _("Reviewers per application must be at least 1."),
            code="k_not_positive", field="reviews_per_application",
        )
    low, high = values.get("min_load"), values.get("max_load")
    if low is not None and high is not None and low > high:
        raise DomainError(
            _("The minimum applications per reviewer cannot exceed the maximum."),
            code="min_load_above_max", field="min_load",
        )
    for name in ("disagreement_threshold_percent", "funding_line_margin_percent"):
        if values.get(name) is not None and not 0 <= values[name] <= 100:
            raise DomainError(
                _("Enter a percentage between 0 and 100."), code="percent_range", field=name
            )


@transaction.atomic
def save_rubric_settings(*, funding_round, by, **values) -> Rubric:
    """Change the round's review settings (they never alter counted scores)."""
    unknown = set(values) - set(SETTING_FIELDS)
    if unknown:
        raise TypeError(f"unknown rubric settings: {sorted(unknown)}")
    funding_round = locked_round(funding_round)
    rubric = _rubric(funding_round)
    merged = {f: getattr(rubric, f) for f in SETTING_FIELDS} | values
    _check_settings(merged)
    changes = {
        f: [str(getattr(rubric, f)), str(v)] for f, v in values.items() if getattr(rubric, f) != v
    }
    if not changes:
        return rubric
    for field, value in values.items():
        setattr(rubric, field, value)
    rubric.save()
    record(ReviewEvent, funding_round=funding_round, by=by,
           action=ReviewEvent.Action.RUBRIC_SETTINGS, changes=changes)
    return rubric


def _clean_criterion(position: int, values: dict) -> dict:
    name = (values.get("name") or "").strip()
    field = f"criteria-{position}"
    if not name:
        raise DomainError(
            _("Criterion %(n)s needs a name.") % {"n": position}, code="criterion_name", field=field
        )
    weight = values.get("weight", 1)
    low, high = values.get("scale_min", 1), values.get("scale_max", 5)
    if not isinstance(weight, int) or not 1 <= weight <= 100:
        raise DomainError(
            _("The weight of %(name)s must be a whole number from 1 to 100.") % {"name": name},
            code="criterion_weight", field=field,
        )
    if not (isinstance(low, int) and isinstance(high, int) and 0 <= low < high <= 10):
        raise DomainError(
            _("The scale of %(name)s must run upwards, within 0 to 10.") % {"name": name},
            code="criterion_scale", field=field,
        )
    descriptors = [str(d).strip() for d in values.get("descriptors") or []]
    if len(descriptors) > high - low + 1:
        raise DomainError(
            _("%(name)s has more descriptors than points on its scale.") % {"name": name},
            code="criterion_descriptors", field=field,
        )
    return {
        "name": name,
        "description": (values.get("description") or "").strip(),
        "weight": weight,
        "scale_min": low,
        "scale_max": high,
        "descriptors": descriptors,
    }


@transaction.atomic
def replace_criteria(*, funding_round, by, criteria: list[dict],
                     action: str = ReviewEvent.Action.RUBRIC_CRITERIA,
                     changes: dict | None = None) -> Rubric:
    """Set the round's criteria (in order); refused once anyone has scored."""
    funding_round = locked_round(funding_round)
    if not criteria:
        raise DomainError(_("A rubric needs at least one criterion."), code="no_criteria",
                          field="criteria")
    cleaned = [_clean_criterion(n, values) for n, values in enumerate(criteria, 1)]
    _require_unscored(funding_round)
    rubric = _rubric(funding_round)
    rubric.criteria.all().delete()
    Criterion.objects.bulk_create(
        Criterion(rubric=rubric, position=n, **values) for n, values in enumerate(cleaned, 1)
    )
    record(ReviewEvent, funding_round=funding_round, by=by, action=action,
           changes=changes or {"criteria": [c["name"] for c in cleaned]})
    return rubric


def copy_rubric(*, source_round, target_round, by) -> Rubric:
    """Start a round's rubric from another round's criteria and settings."""
    try:
        source = source_round.rubric
    except Rubric.DoesNotExist:
        source = None
    if source is None or not source.criteria.exists():
        raise DomainError(_("The chosen round has no rubric to copy."), code="no_source_rubric",
                          field="source")
    if source_round.pk == target_round.pk:
        raise DomainError(_("Choose another round to copy from."), code="copy_same_round",
                          field="source")
    with transaction.atomic():
        rubric = replace_criteria(
            funding_round=target_round, by=by, action=ReviewEvent.Action.RUBRIC_COPIED,
            criteria=[{f: getattr(c, f) for f in CRITERION_FIELDS} for c in source.criteria.all()],
            changes={"copied_from_round": source_round.pk},
        )
        for field in SETTING_FIELDS:
            if field != "review_due_on":
                setattr(rubric, field, getattr(source, field))
        rubric.copied_from = source
        rubric.save()
    return rubric


def create_default_rubric(*, funding_round, by) -> Rubric:
    """The six default criteria of the model-project rounds."""
    return replace_criteria(
        funding_round=funding_round, by=by, action=ReviewEvent.Action.RUBRIC_DEFAULT,
        criteria=[
            {"name": name, "description": description, "weight": weight,
             "scale_min": 1, "scale_max": 5, "descriptors": descriptors}
            for name, description, weight, descriptors in DEFAULT_CRITERIA
        ],
    )


@transaction.atomic
def save_rubric(*, funding_round, by, criteria: list[dict] | None = None, **settings) -> Rubric:
    """Settings and (when given) criteria together, all or nothing; the
    criteria rule of replace_criteria applies (fixed once anyone scored)."""
    if settings:
        save_rubric_settings(funding_round=funding_round, by=by, **settings)
    if criteria is not None:
        replace_criteria(funding_round=funding_round, by=by, criteria=criteria)
    return Rubric.objects.get_or_create(funding_round=funding_round)[0]
