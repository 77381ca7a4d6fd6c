"""The reviewer pool and conflicts of interest (利益相反)."""

import re
import unicodedata
from collections import defaultdict
from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Role
from applications.models import Application, ConsortiumMember
from core.corporate_number import is_valid_corporate_number, normalise_corporate_number
from core.errors import DomainError
from core.prefectures import Prefecture
from core.transitions import record

from ..models import Assignment, ConflictOfInterest, ReviewerProfile, ReviewEvent
from ..tasks import send_reviewer_invitation

PROFILE_FIELDS = (
    "affiliation_name",
    "affiliation_corporate_number",
    "expertise_themes",
    "prefectures",
    "is_active",
)

# Legal-form words ignored when comparing organisation names, so that
# "NPO法人つながり" and "特定非営利活動法人 つながり" match.
_LEGAL_FORM_WORDS = (
    "特定非営利活動法人", "認定npo法人", "npo法人", "一般社団法人", "一般財団法人",
    "公益社団法人", "公益財団法人", "社会福祉法人", "株式会社", "合同会社", "有限会社",
)
_PUNCTUATION = re.compile(r"[\s・･,，.．、。()（）「」\-‐ー―]+")


def normalise_organisation_name(name: str) -> str:
    text = unicodedata.normalize("NFKC", name or "").casefold()
    for word in _LEGAL_FORM_WORDS:
        text = text.replace(word, "")
    return _PUNCTUATION.sub("", text)


# --- Pool -----------------------------------------------------------------------


def _clean_profile(values: dict) -> dict:
    cleaned = dict(values)
    if "affiliation_corporate_number" in values:
        number = normalise_corporate_number(values["affiliation_corporate_number"] or "")
        if number and not is_valid_corporate_number(number):
            raise DomainError(
                _("The affiliation's corporate number is not a valid 13-digit number."),
                code="corporate_number_invalid", field="affiliation_corporate_number",
            )
        cleaned["affiliation_corporate_number"] = number
    if "expertise_themes" in values:
        themes = sorted({int(t) for t in values["expertise_themes"] or []})
        if any(t < 1 for t in themes):
            raise DomainError(_("Theme numbers start at 1."), code="theme_number",
                              field="expertise_themes")
        cleaned["expertise_themes"] = themes
    if "prefectures" in values:
        codes = sorted(set(values["prefectures"] or []))
        if any(code not in Prefecture.values for code in codes):
            raise DomainError(_("Unknown prefecture code."), code="prefecture_unknown",
                              field="prefectures")
        cleaned["prefectures"] = codes
    if "affiliation_name" in values:
        cleaned["affiliation_name"] = (values["affiliation_name"] or "").strip()
    return cleaned


@transaction.atomic
def invite_reviewer(*, email: str, full_name: str, by, **profile) -> ReviewerProfile:
    """Staff add a reviewer to the pool; the reviewer gets an e-mail to set
    a password. An account with another role cannot become a reviewer."""
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    email = (email or "").strip().lower()
    if not email:
        raise DomainError(_("Enter the reviewer's e-mail address."), code="email_required",
                          field="email")
    values = _clean_profile(profile)
    user_model = get_user_model()
    user = user_model.objects.select_for_update().filter(email=email).first()
    if user is None:
        user = user_model.objects.create_user(email=email, full_name=full_name.strip(),
                                              role=Role.REVIEWER)
        user.set_unusable_password()
        user.save(update_fields=["password"])
    elif user.role != Role.REVIEWER:
        raise DomainError(
            _("%(email)s already has an account with another role.") % {"email": email},
            code="email_other_role", field="email",
        )
    elif ReviewerProfile.objects.filter(user=user).exists():
        raise DomainError(
            _("%(email)s is already in the reviewer pool.") % {"email": email},
            code="already_in_pool", field="email",
        )
    reviewer = ReviewerProfile.objects.create(user=user, invited_by=by, **values)
    transaction.on_commit(partial(send_reviewer_invitation.delay, reviewer.pk))
    return reviewer


@transaction.atomic
def update_reviewer_profile(*, profile: ReviewerProfile, by, **values) -> ReviewerProfile:
    """Change a reviewer's affiliation, expertise or prefectures; conflicts
    with their current assignments are detected again."""
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    profile = ReviewerProfile.objects.select_for_update().get(pk=profile.pk)
    for field, value in _clean_profile(values).items():
        setattr(profile, field, value)
    profile.save()
    assigned = Application.objects.filter(
        review_assignments__reviewer_id=profile.user_id, review_assignments__status=Assignment.Status.ACTIVE
    )
    refresh_conflicts(applications=assigned, reviewer_ids=[profile.user_id], by=by)
    return profile


# --- Conflicts --------------------------------------------------------------------


def find_conflicts(applications: list[dict], reviewers: list[dict]) -> dict[tuple[int, int], str]:
    """Detected conflicts {(application id, reviewer user id): kind}.

    applications: {"id", "corporate_numbers" (applicant and consortium
    members), "names", "member_ids" (users in the applicant organisation)};
    reviewers: {"user_id", "corporate_number", "name"}. Lookups go through
    indexes, so the cost grows with applications plus reviewers."""
    by_number, by_name = defaultdict(list), defaultdict(list)
    reviewer_ids = set()
    for reviewer in reviewers:
        reviewer_ids.add(reviewer["user_id"])
        if reviewer.get("corporate_number"):
            by_number[reviewer["corporate_number"]].append(reviewer["user_id"])
        name = normalise_organisation_name(reviewer.get("name", ""))
        if name:
            by_name[name].append(reviewer["user_id"])
    found: dict[tuple[int, int], str] = {}
    for app in applications:
        for user_id in app["member_ids"] & reviewer_ids:
            found[(app["id"], user_id)] = ConflictOfInterest.Kind.MEMBERSHIP
        for number in app["corporate_numbers"]:
            for user_id in by_number.get(number, ()):
                found.setdefault((app["id"], user_id), ConflictOfInterest.Kind.CORPORATE_NUMBER)
        for name in {normalise_organisation_name(n) for n in app["names"]} - {""}:
            for user_id in by_name.get(name, ()):
                found.setdefault((app["id"], user_id), ConflictOfInterest.Kind.ORGANISATION_NAME)
    return found


def _application_ties(applications) -> list[dict]:
    rows = list(applications.values(
        "id", "organisation_id", "organisation__corporate_number", "organisation__name"
    ))
    ids = [row["id"] for row in rows]
    members = defaultdict(list)
    for member in ConsortiumMember.objects.filter(application_id__in=ids).values(
        "application_id", "name", "corporate_number"
    ):
        members[member["application_id"]].append(member)
    people = defaultdict(set)
    for membership in Membership.objects.filter(
        organisation_id__in={row["organisation_id"] for row in rows}
    ).values("organisation_id", "user_id"):
        people[membership["organisation_id"]].add(membership["user_id"])
    result = []
    for row in rows:
        numbers = {row["organisation__corporate_number"]} | {
            m["corporate_number"] for m in members[row["id"]]
        }
        result.append({
            "id": row["id"],
            "corporate_numbers": {normalise_corporate_number(n) for n in numbers if n},
            "names": {row["organisation__name"]} | {m["name"] for m in members[row["id"]]},
            "member_ids": people[row["organisation_id"]],
        })
    return result


def refresh_conflicts(*, applications, reviewer_ids=None, by=None) -> set[tuple[int, int]]:
    """Detect conflicts between the applications and the pool (or the given
    reviewers), store new ones and take conflicted assignments out of use.
    Returns every stored conflict of those applications."""
    profiles = ReviewerProfile.objects.all()
    if reviewer_ids is not None:
        profiles = profiles.filter(user_id__in=list(reviewer_ids))
    reviewers = [
        {"user_id": p["user_id"], "corporate_number": p["affiliation_corporate_number"],
         "name": p["affiliation_name"]}
        for p in profiles.values("user_id", "affiliation_corporate_number", "affiliation_name")
    ]
    ties = _application_ties(applications)
    detected = find_conflicts(ties, reviewers)
    app_ids = [t["id"] for t in ties]
    stored = set(
        ConflictOfInterest.objects.filter(application_id__in=app_ids).values_list(
            "application_id", "reviewer_id"
        )
    )
    new = {pair: kind for pair, kind in detected.items() if pair not in stored}
    if new:
        ConflictOfInterest.objects.bulk_create(
            [ConflictOfInterest(application_id=a, reviewer_id=r, kind=kind)
             for (a, r), kind in sorted(new.items())],
            ignore_conflicts=True,
        )
        _withdraw_assignments(new, by=by, reason=_("Conflict of interest detected."))
    return stored | set(new)


def _withdraw_assignments(pairs, *, by, reason: str) -> None:
    app_ids = {a for a, _r in pairs}
    for assignment in Assignment.objects.filter(
        application_id__in=app_ids, status=Assignment.Status.ACTIVE
    ).select_related("application"):
        if (assignment.application_id, assignment.reviewer_id) in pairs:
            assignment.status = Assignment.Status.CONFLICTED
            assignment.save(update_fields=["status", "updated_at"])
            record(ReviewEvent, funding_round_id=assignment.application.funding_round_id, by=by,
                   action=ReviewEvent.Action.CONFLICT_DETECTED, application=assignment.application,
                   why=reason, from_status=Assignment.Status.ACTIVE,
                   to_status=Assignment.Status.CONFLICTED,
                   changes={"reviewer": assignment.reviewer_id})


def _own_assignment(assignment, by) -> Assignment:
    assignment = Assignment.objects.select_for_update(of=("self",)).select_related("application").get(
        pk=assignment.pk
    )
    if assignment.reviewer_id != getattr(by, "pk", None):
        raise DomainError(_("Only the assigned reviewer can declare on this assignment."),
                          code="not_assigned_reviewer")
    if assignment.status != Assignment.Status.ACTIVE:
        raise DomainError(_("A conflict of interest has already been recorded."),
                          code="assignment_conflicted")
    return assignment


@transaction.atomic
def declare_no_conflict(*, assignment, by) -> Assignment:
    """Before reading, the reviewer confirms they have no conflict."""
    assignment = _own_assignment(assignment, by)
    conflicts = refresh_conflicts(
        applications=Application.objects.filter(pk=assignment.application_id),
        reviewer_ids=[by.pk], by=by,
    )
    if (assignment.application_id, by.pk) in conflicts:
        raise DomainError(
            _("A conflict of interest with this application was detected; it has been "
              "removed from your reviews."),
            code="conflict_detected",
        )
    if assignment.no_conflict_declared_at is None:
        assignment.no_conflict_declared_at = timezone.now()
        assignment.save(update_fields=["no_conflict_declared_at", "updated_at"])
        record(ReviewEvent, funding_round_id=assignment.application.funding_round_id, by=by,
               action=ReviewEvent.Action.NO_CONFLICT_DECLARED, application=assignment.application)
    return assignment


@transaction.atomic
def declare_conflict(*, assignment, by, reason: str) -> ConflictOfInterest:
    """The reviewer declares a conflict (with a reason): the assignment is
    withdrawn and any review of theirs on it is never counted."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the conflict of interest."),
                          code="reason_required", field="reason")
    assignment = _own_assignment(assignment, by)
    conflict, _created = ConflictOfInterest.objects.get_or_create(
        application_id=assignment.application_id, reviewer=by,
        defaults={"kind": ConflictOfInterest.Kind.DECLARED, "reason": reason},
    )
    assignment.status = Assignment.Status.CONFLICTED
    assignment.save(update_fields=["status", "updated_at"])
    record(ReviewEvent, funding_round_id=assignment.application.funding_round_id, by=by,
           action=ReviewEvent.Action.CONFLICT_DECLARED, application=assignment.application,
           why=reason, from_status=Assignment.Status.ACTIVE, to_status=Assignment.Status.CONFLICTED,
           changes={"reviewer": by.pk})
    return conflict
