"""Review pages: the reviewer's queue and scoring, staff rubric, pool and
assignment (ranking and decisions: reviews.decision_views).

Thin: scope first (404), then the policy (403), then a service.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.security import mark_email_verified
from applications.models import Application
from core.policies import (
    can_manage_reviewer_pool,
    review_rounds_visible_to,
    sees_all_programmes,
)
from core.views import get_visible_or_404, require_perm, run_service
from grants.models import FundingRound

from . import services
from .forms import (
    AutoAssignForm,
    ConflictForm,
    CopyRubricForm,
    CriterionFormSet,
    ManualAssignForm,
    ReviewerProfileForm,
    ReviewForm,
    RubricSettingsForm,
)
from .models import Assignment, Criterion, Review, ReviewerProfile
from .queries import (
    assignment_overview,
    criteria_of,
    other_reviews,
    others_scores_visible,
    review_total,
    reviewer_queue,
    round_review_progress,
    rubric_for,
    scoring_materials,
)
from .ranking import UNDECIDED_STATUSES
from .services.rubrics import CRITERION_FIELDS, SETTING_FIELDS

REVIEW_ROUND_STATUSES = (
    FundingRound.Status.CLOSED, FundingRound.Status.REVIEWING,
    FundingRound.Status.DECIDED, FundingRound.Status.ARCHIVED,
)


def review_round(request, pk) -> FundingRound:
    """A round's review pages: staff and oversight only (others 404)."""
    return get_object_or_404(
        FundingRound.objects.filter(review_rounds_visible_to(request.user)).select_related(
            "programme"
        ),
        pk=pk,
    )


def may_manage_round(request, funding_round) -> bool:
    return request.user.has_perm("reviews.manage_round", funding_round)


# --- Reviewer -------------------------------------------------------------------


def queue(request):
    """The reviewer's assignments with due dates and review status."""
    return render(request, "reviews/queue.html", {
        "assignments": reviewer_queue(request.user), "today": timezone.localdate()})


def _assignment(request, pk) -> Assignment:
    return get_visible_or_404(
        Assignment.objects.select_related(
            "application__funding_round", "application__organisation", "application__theme",
            "application__tier", "reviewer",
        ),
        request.user,
        pk=pk,
    )


def assignment_detail(request, pk):
    """Declare before reading; then read the application and score it."""
    assignment = _assignment(request, pk)
    is_own = assignment.reviewer_id == request.user.pk
    if is_own and not assignment.is_declared:
        return render(request, "reviews/declare.html", {
            "assignment": assignment, "form": ConflictForm(),
            "members": assignment.application.consortium_members.all(),
        })
    application = get_visible_or_404(
        Application.objects.select_related("organisation", "theme", "tier"), request.user,
        pk=assignment.application_id,
    )
    criteria = criteria_of(application.funding_round_id)
    review = Review.objects.filter(assignment=assignment).prefetch_related("scores").first()
    if request.method == "POST":
        require_perm(request.user, "reviews.score", assignment)
        form = ReviewForm(request.POST, criteria=criteria)
        if form.is_valid() and _save_review(request, assignment, form):
            return redirect("reviews:assignment", pk=assignment.pk)
    else:
        initial = {}
        if review is not None:
            initial = {f"criterion_{s.criterion_id}": s.value for s in review.scores.all()}
            initial |= {f: getattr(review, f) for f in ("recommendation", "comment_to_staff",
                                                        "comment_to_applicant")}
        form = ReviewForm(initial=initial, criteria=criteria)
    show_others = not is_own or others_scores_visible(assignment, review)
    closed = services.decided_refusal(assignment) if is_own else None
    return render(request, "reviews/assignment.html", {
        "assignment": assignment,
        "application": application,
        "members": application.consortium_members.all(),
        "materials": scoring_materials(application),
        "criteria": criteria,
        "review": review,
        "total": review_total(review, criteria) if review else None,
        "score_rows": _score_rows(review, criteria),
        "form": form,
        "may_score": is_own and closed is None
        and request.user.has_perm("reviews.score", assignment)
        and (review is None or review.status == Review.Status.DRAFT),
        "closed_reason": str(closed.message) if closed else "",
        "others": other_reviews(assignment, criteria) if show_others else None,
        "is_own": is_own,
    })


def _score_rows(review, criteria) -> list[tuple]:
    values = {s.criterion_id: s.value for s in review.scores.all()} if review else {}
    return [(criterion, values.get(criterion.pk)) for criterion in criteria]


def _save_review(request, assignment, form) -> bool:
    """Save the draft (never lost), then submit when asked."""
    review = run_service(
        request, services.save_review_draft, assignment=assignment, by=request.user,
        scores=form.scores(), recommendation=form.cleaned_data["recommendation"],
        comment_to_staff=form.cleaned_data["comment_to_staff"],
        comment_to_applicant=form.cleaned_data["comment_to_applicant"],
    )
    if review is None:
        return False
    if "submit" not in request.POST:
        messages.success(request, _("Draft saved."))
        return True
    submitted = run_service(request, services.submit_review, review=review, by=request.user,
                            success=_("Review submitted."))
    if submitted is None:
        messages.info(request, _("Your draft was saved."))
    return True


@require_POST
def declare(request, pk):
    """The reviewer declares no conflict (then reads) or a conflict (with a reason)."""
    assignment = _assignment(request, pk)
    require_perm(request.user, "reviews.declare_conflict", assignment)
    if request.POST.get("declaration") == "conflict":
        form = ConflictForm(request.POST)
        if not form.is_valid():
            return render(request, "reviews/declare.html", {
                "assignment": assignment, "form": form,
                "members": assignment.application.consortium_members.all(),
            }, status=400)
        done = run_service(request, services.declare_conflict, assignment=assignment,
                           by=request.user, reason=form.cleaned_data["reason"],
                           success=_("Conflict of interest recorded; the application has "
                                     "been removed from your reviews."))
        return redirect("reviews:queue") if done else redirect("reviews:assignment", pk=pk)
    done = run_service(request, services.declare_no_conflict, assignment=assignment,
                       by=request.user)
    return redirect("reviews:assignment", pk=pk) if done else redirect("reviews:queue")


@login_not_required
def invitation(request, uidb64, token):
    """A new reviewer sets their password from the invitation e-mail."""
    try:
        user = get_user_model().objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError, get_user_model().DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "reviews/invitation.html", {"invalid": True}, status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        if user.email_verified_at is None:
            # The link went to this address, so setting the password proves it.
            mark_email_verified(user=user, by=user, how="reviewer_invitation")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Your password is set. Welcome to the review."))
        return redirect("reviews:queue")
    return render(request, "reviews/invitation.html", {"form": form})


# --- Staff: rounds ------------------------------------------------------------------


def round_list(request):
    if not sees_all_programmes(request.user):
        raise PermissionDenied
    rounds = (
        FundingRound.objects.filter(status__in=REVIEW_ROUND_STATUSES)
        .select_related("programme")
        .order_by("-fiscal_year", "programme__code", "id")
    )
    return render(request, "reviews/round_list.html", {"rounds": rounds})


def round_detail(request, pk):
    funding_round = review_round(request, pk)
    rubric = rubric_for(funding_round)
    return render(request, "reviews/round_detail.html", {
        "round": funding_round,
        "rubric": rubric,
        "criteria": criteria_of(funding_round.pk),
        "progress": round_review_progress(funding_round),
        "may_manage": may_manage_round(request, funding_round),
    })


def _rubric_context(request, funding_round, **forms):
    rubric = rubric_for(funding_round)
    criteria = criteria_of(funding_round.pk)
    rounds = FundingRound.objects.filter(
        Exists(Criterion.objects.filter(rubric__funding_round=OuterRef("pk")))
    ).exclude(pk=funding_round.pk).select_related("programme")
    context = {
        "round": funding_round,
        "rubric": rubric,
        "criteria": criteria,
        "max_total": sum(c.weight * c.scale_max for c in criteria),
        "settings_form": RubricSettingsForm(initial={f: getattr(rubric, f) for f in SETTING_FIELDS}),
        "formset": CriterionFormSet(prefix="criteria", initial=[
            {f: getattr(c, f) for f in CRITERION_FIELDS} | {"descriptors": "\n".join(c.descriptors)}
            for c in criteria
        ]),
        "copy_form": CopyRubricForm(rounds=rounds),
        "may_manage": may_manage_round(request, funding_round),
    }
    context.update(forms)
    return context


def rubric(request, pk):
    funding_round = review_round(request, pk)
    if request.method != "POST":
        return render(request, "reviews/rubric.html", _rubric_context(request, funding_round))
    require_perm(request.user, "reviews.manage_round", funding_round)
    action = request.POST.get("action")
    if action == "settings":
        form = RubricSettingsForm(request.POST)
        if not form.is_valid():
            return render(request, "reviews/rubric.html",
                          _rubric_context(request, funding_round, settings_form=form), status=400)
        run_service(request, services.save_rubric_settings, funding_round=funding_round,
                    by=request.user, success=_("Settings saved."), **form.cleaned_data)
    elif action == "criteria":
        formset = CriterionFormSet(request.POST, prefix="criteria")
        if not formset.is_valid():
            return render(request, "reviews/rubric.html",
                          _rubric_context(request, funding_round, formset=formset), status=400)
        criteria = [
            {f: form.cleaned_data[f] for f in CRITERION_FIELDS}
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        run_service(request, services.replace_criteria, funding_round=funding_round,
                    by=request.user, criteria=criteria, success=_("Criteria saved."))
    elif action == "copy":
        form = CopyRubricForm(request.POST, rounds=FundingRound.objects.all())
        if not form.is_valid():
            return render(request, "reviews/rubric.html",
                          _rubric_context(request, funding_round, copy_form=form), status=400)
        run_service(request, services.copy_rubric, source_round=form.cleaned_data["source"],
                    target_round=funding_round, by=request.user, success=_("Rubric copied."))
    elif action == "default":
        run_service(request, services.create_default_rubric, funding_round=funding_round,
                    by=request.user, success=_("Default rubric created."))
    return redirect("reviews:rubric", pk=funding_round.pk)


# --- Staff: assignment --------------------------------------------------------------


def assignments(request, pk):
    funding_round = review_round(request, pk)
    may_manage = may_manage_round(request, funding_round)
    applications, pool = assignment_overview(funding_round)
    waiting = [a for a in applications if a.status in UNDECIDED_STATUSES]
    rubric = rubric_for(funding_round)
    auto_form = AutoAssignForm(initial={
        "k": rubric.reviews_per_application, "max_load": rubric.max_load,
        "min_load": rubric.min_load, "due_on": rubric.review_due_on,
    })
    manual_form = ManualAssignForm(applications=waiting, reviewers=pool,
                                   initial={"due_on": rubric.review_due_on}, auto_id="manual_%s")
    if request.method == "POST":
        require_perm(request.user, "reviews.manage_round", funding_round)
        if request.POST.get("action") == "auto":
            auto_form = AutoAssignForm(request.POST)
            if auto_form.is_valid() and _assign_automatically(request, funding_round, auto_form):
                return redirect("reviews:assignments", pk=pk)
        else:
            manual_form = ManualAssignForm(request.POST, applications=waiting, reviewers=pool,
                                           auto_id="manual_%s")
            if manual_form.is_valid():
                data = manual_form.cleaned_data
                done = run_service(
                    request, services.assign_reviewer,
                    application=Application.objects.get(pk=data["application"]),
                    reviewer=get_user_model().objects.get(pk=data["reviewer"]),
                    by=request.user, due_on=data["due_on"], success=_("Reviewer assigned."),
                )
                if done:
                    return redirect("reviews:assignments", pk=pk)
    return render(request, "reviews/assignments.html", {
        "round": funding_round, "applications": applications, "pool": pool,
        "auto_form": auto_form, "manual_form": manual_form, "may_manage": may_manage,
        "k": rubric.reviews_per_application,
    }, status=400 if request.method == "POST" else 200)


def _assign_automatically(request, funding_round, form) -> bool:
    data = form.cleaned_data
    result = run_service(
        request, services.assign_reviewers_automatically, funding_round=funding_round,
        by=request.user, k=data["k"], max_load=data["max_load"], min_load=data["min_load"],
        due_on=data["due_on"],
    )
    if result is None:
        return False
    messages.success(request, _(
        "%(count)s assignments created (objective %(objective)s, %(matches)s with matching "
        "expertise)."
    ) % {"count": result.count, "objective": result.objective,
         "matches": result.expertise_matches})
    return True


@require_POST
def unassign(request, pk):
    assignment = get_visible_or_404(
        Assignment.objects.select_related("application__funding_round__programme"),
        request.user, pk=pk,
    )
    funding_round = assignment.application.funding_round
    require_perm(request.user, "reviews.manage_round", funding_round)
    run_service(request, services.unassign_reviewer, assignment=assignment, by=request.user,
                success=_("Assignment removed."))
    return redirect("reviews:assignments", pk=funding_round.pk)


# --- Staff: reviewer pool -------------------------------------------------------------


def reviewers(request):
    if not sees_all_programmes(request.user):
        raise PermissionDenied
    pool = ReviewerProfile.objects.select_related("user").order_by("user__full_name", "id")
    return render(request, "reviews/reviewers.html", {
        "pool": pool, "may_manage": can_manage_reviewer_pool(request.user),
    })


def reviewer_form(request, pk=None):
    """Invite a reviewer (pk None) or edit a profile."""
    if not sees_all_programmes(request.user):
        raise PermissionDenied
    profile = get_object_or_404(ReviewerProfile.objects.select_related("user"), pk=pk) if pk else None
    if not can_manage_reviewer_pool(request.user):
        raise PermissionDenied
    initial = {}
    if profile:
        initial = {
            "email": profile.user.email, "full_name": profile.user.full_name,
            "affiliation_name": profile.affiliation_name,
            "affiliation_corporate_number": profile.affiliation_corporate_number,
            "expertise_themes": profile.expertise_themes, "prefectures": profile.prefectures,
            "is_active": profile.is_active,
        }
    form = ReviewerProfileForm(request.POST or None, initial=initial)
    if profile:
        form.fields["email"].disabled = True
        form.fields["full_name"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        email, full_name = data.pop("email"), data.pop("full_name")
        if profile:
            done = run_service(request, services.update_reviewer_profile, profile=profile,
                               by=request.user, success=_("Reviewer updated."), **data)
        else:
            done = run_service(request, services.invite_reviewer, email=email,
                               full_name=full_name, by=request.user,
                               success=_("Invitation sent."), **data)
        if done:
            return redirect("reviews:reviewers")
    return render(request, "reviews/reviewer_form.html", {"form": form, "profile": profile},
                  status=400 if request.method == "POST" else 200)
