"""Review (審査) of applications: rubrics, the reviewer pool, conflicts of
interest, assignments, confidential scores and selection decisions
(採択/不採択)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import EventModel, TimeStampedModel

from .querysets import (
    AssignmentQuerySet,
    DecisionQuerySet,
    ReviewerProfileQuerySet,
    ReviewQuerySet,
)


class Recommendation(models.TextChoices):
    STRONGLY_SUPPORT = "strongly_support", _("Strongly support")
    SUPPORT = "support", _("Support")
    NEUTRAL = "neutral", _("Neutral")
    DO_NOT_SUPPORT = "do_not_support", _("Do not support")


# Recommendations on each side of the selection; reviews spanning both sides
# of one application are flagged as a disagreement.
SUPPORTING = frozenset({Recommendation.STRONGLY_SUPPORT, Recommendation.SUPPORT})
OPPOSING = frozenset({Recommendation.DO_NOT_SUPPORT})


class Rubric(TimeStampedModel):
    """How one round is scored, and its review settings."""

    funding_round = models.OneToOneField(
        "grants.FundingRound", verbose_name=_("funding round"),
        on_delete=models.CASCADE, related_name="rubric",
    )
    hide_scores_until_submitted = models.BooleanField(
        _("hide other reviewers' scores until one's own review is submitted"), default=True
    )
    reviews_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"), default=3
    )
    max_load = models.PositiveSmallIntegerField(
        _("maximum applications per reviewer"), default=10
    )
    min_load = models.PositiveSmallIntegerField(
        _("minimum applications per reviewer"), default=0
    )
    review_due_on = models.DateField(_("reviews due on"), null=True, blank=True)
    disagreement_threshold_percent = models.PositiveSmallIntegerField(
        _("disagreement threshold (% of the maximum total)"), default=15,
        help_text=_("Reviews of one application whose standard deviation exceeds this share "
                    "of the maximum weighted total are flagged."),
    )
    funding_line_margin_percent = models.PositiveSmallIntegerField(
        _("funding line margin (% of the maximum total)"), default=3,
        help_text=_("Proposals whose calibrated score is this close to the funding line "
                    "are flagged as too close to separate."),
    )
    copied_from = models.ForeignKey(
        "self", verbose_name=_("copied from"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="copies",
    )

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        constraints = [
            models.CheckConstraint(
                condition=Q(reviews_per_application__gte=1), name="rubric_k_positive"
            ),
            models.CheckConstraint(
                condition=Q(min_load__lte=models.F("max_load")), name="rubric_min_load_lte_max"
            ),
            models.CheckConstraint(
                condition=Q(disagreement_threshold_percent__lte=100)
                & Q(funding_line_margin_percent__lte=100),
                name="rubric_percents_max_100",
            ),
        ]

    def __str__(self) -> str:
        return str(self.funding_round)


class Criterion(models.Model):
    """A weighted criterion scored on a small integer scale, with a
    descriptor for each point (scale_min first)."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=5)
    descriptors = models.JSONField(
        _("descriptor per point"), default=list, blank=True,
        help_text=_("One line per point, from the lowest score up."),
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["rubric", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "position"], name="criterion_position_unique"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="criterion_weight_positive"),
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")) & Q(scale_max__lte=10),
                name="criterion_scale_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def points(self) -> list[tuple[int, str]]:
        """(score, descriptor) for every point of the scale."""
        descriptors = list(self.descriptors or [])
        return [
            (value, descriptors[i] if i < len(descriptors) else "")
            for i, value in enumerate(range(self.scale_min, self.scale_max + 1))
        ]


class ReviewerProfile(TimeStampedModel):
    """A member of the reviewer pool (審査委員). Expertise is kept as theme
    numbers so one profile serves every round; NOTE: theme numbers mean
    different topics in different programmes, which staff accept by
    choosing the pool per round."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"),
        on_delete=models.CASCADE, related_name="reviewer_profile",
    )
    affiliation_name = models.CharField(_("affiliated organisation"), max_length=200, blank=True)
    affiliation_corporate_number = models.CharField(
        _("affiliation's corporate number"), max_length=13, blank=True, db_index=True
    )
    expertise_themes = models.JSONField(
        _("expertise (theme numbers)"), default=list, blank=True
    )
    prefectures = models.JSONField(_("prefectures"), default=list, blank=True)
    is_active = models.BooleanField(_("active in the pool"), default=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    invitation_sent_at = models.DateTimeField(_("invitation sent at"), null=True, blank=True)

    objects = ReviewerProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("reviewer profile")
        verbose_name_plural = _("reviewer profiles")
        ordering = ["user__full_name", "id"]

    def __str__(self) -> str:
        return str(self.user)


class ConflictOfInterest(models.Model):
    """A reviewer tied to an application (利益相反). SECURITY: the reviewer is
    never assigned to it, cannot open it and is never counted."""

    class Kind(models.TextChoices):
        CORPORATE_NUMBER = "corporate_number", _("Same corporate number as the applicant or a member")
        ORGANISATION_NAME = "organisation_name", _("Affiliated with the applicant or a member")
        MEMBERSHIP = "membership", _("Member of the applicant organisation")
        DECLARED = "declared", _("Declared by the reviewer")

    application = models.ForeignKey(
        "applications.Application", verbose_name=_("application"),
        on_delete=models.CASCADE, related_name="review_conflicts",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"),
        on_delete=models.CASCADE, related_name="review_conflicts",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["application", "reviewer"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="conflict_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id} × {self.application_id}: {self.kind}"


# At module level so that the model's Meta constraints can name the members.
class AssignmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CONFLICTED = "conflicted", _("Conflict of interest")


class Assignment(TimeStampedModel):
    """A reviewer asked to review one application. A pair is assigned at
    most once; a declared conflict turns it `conflicted`, never deleted."""

    Status = AssignmentStatus

    class Source(models.TextChoices):
        MANUAL = "manual", _("By hand")
        AUTOMATIC = "automatic", _("Automatic")

    application = models.ForeignKey(
        "applications.Application", verbose_name=_("application"),
        on_delete=models.CASCADE, related_name="review_assignments",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"),
        on_delete=models.PROTECT, related_name="review_assignments",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.ACTIVE, db_index=True
    )
    source = models.CharField(_("assigned"), max_length=20, choices=Source, default=Source.MANUAL)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # The reviewer's declaration of no conflict, made before reading.
    no_conflict_declared_at = models.DateTimeField(
        _("no conflict declared at"), null=True, blank=True
    )
    notified_at = models.DateTimeField(_("reviewer notified at"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["due_on", "application_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="assignment_unique"),
        ]
        indexes = [
            models.Index(fields=["reviewer", "status"]),
            # Every assignment queues notify_reviewer_assignments, which looks
            # up the reviewer's not yet notified ones: without this partial
            # index that walks all the reviewer's assignments, so each write
            # grew with the round's size (issue 12).
            models.Index(
                fields=["reviewer", "due_on", "id"], name="assignment_unnotified_idx",
                condition=Q(status=AssignmentStatus.ACTIVE, notified_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id} → {self.application_id}"

    @property
    def is_declared(self) -> bool:
        return self.no_conflict_declared_at is not None


# At module level so that the model's Meta constraints can name the members.
class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Review(TimeStampedModel):
    """One reviewer's confidential scores for one assignment."""

    Status = ReviewStatus

    TRANSITIONS = {Status.DRAFT: {Status.SUBMITTED}}

    assignment = models.OneToOneField(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="review"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    recommendation = models.CharField(
        _("overall recommendation"), max_length=20, choices=Recommendation, blank=True
    )
    comment_to_staff = models.TextField(_("comment to programme staff"), blank=True)
    comment_to_applicant = models.TextField(
        _("comment for the applicant"), blank=True,
        help_text=_("Shown to the applicant, without your name, after the decision."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Σ weight × score, fixed at submission (criteria cannot change once
    # anyone has scored), so the ranking reads one number per review.
    weighted_total = models.PositiveIntegerField(_("weighted total"), null=True, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["assignment_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ReviewStatus.DRAFT) | Q(weighted_total__isnull=False),
                name="review_submitted_has_total",
            ),
        ]

    def __str__(self) -> str:
        return f"review of {self.assignment}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["criterion__position"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"


class DecisionBatch(models.Model):
    """Decisions recorded together; their notices are generated in the
    background and the batch shows the progress (done/total)."""

    funding_round = models.ForeignKey(
        "grants.FundingRound", on_delete=models.CASCADE, related_name="decision_batches"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    total = models.PositiveIntegerField(_("decisions"))

    class Meta:
        verbose_name = _("decision batch")
        verbose_name_plural = _("decision batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"batch {self.pk} ({self.total})"


# At module level so that the model's Meta constraints can name the members.
class DecisionOutcome(models.TextChoices):
    AWARDED = "awarded", _("Awarded")
    DECLINED = "declined", _("Declined")


class Decision(models.Model):
    """The selection decision (採択 / 不採択) on one application, and its
    notice (採択通知書 / 不採択通知書)."""

    Outcome = DecisionOutcome

    application = models.OneToOneField(
        "applications.Application", verbose_name=_("application"),
        on_delete=models.PROTECT, related_name="decision",
    )
    funding_round = models.ForeignKey(
        "grants.FundingRound", verbose_name=_("funding round"),
        on_delete=models.PROTECT, related_name="review_decisions",
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome)
    amount_yen = models.PositiveBigIntegerField(_("award amount (yen)"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    batch = models.ForeignKey(
        DecisionBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    notice_file = models.FileField(_("decision notice"), upload_to="notices/%Y/", blank=True)
    notice_generated_at = models.DateTimeField(_("notice generated at"), null=True, blank=True)
    notice_emailed_at = models.DateTimeField(_("notice e-mailed at"), null=True, blank=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["funding_round", "application_id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(outcome=DecisionOutcome.AWARDED) & Q(amount_yen__gt=0))
                | (Q(outcome="declined") & Q(amount_yen__isnull=True)),
                name="decision_amount_matches_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.outcome}"

    @property
    def is_awarded(self) -> bool:
        return self.outcome == self.Outcome.AWARDED


class ReviewEvent(EventModel):
    """History of the review of a round: rubric changes, assignments,
    conflicts, submissions and decisions."""

    class Action(models.TextChoices):
        ASSIGNED = "assigned", _("Reviewer assigned")
        UNASSIGNED = "unassigned", _("Reviewer unassigned")
        AUTO_ASSIGNED = "auto_assigned", _("Reviewers assigned automatically")
        RUBRIC_SETTINGS = "rubric_settings", _("Review settings changed")
        RUBRIC_CRITERIA = "rubric_criteria", _("Review criteria changed")
        RUBRIC_COPIED = "rubric_copied", _("Review criteria copied from another round")
        RUBRIC_DEFAULT = "rubric_default", _("Default review criteria set")
        CONFLICT_DETECTED = "conflict_detected", _("Conflict of interest found")
        NO_CONFLICT_DECLARED = "no_conflict_declared", _("No conflict of interest declared")
        CONFLICT_DECLARED = "conflict_declared", _("Conflict of interest declared")
        REVIEW_SUBMITTED = "review_submitted", _("Review submitted")
        DECIDED = "decided", _("Decision recorded")

    action = models.CharField(_("action"), max_length=40, choices=Action)
    funding_round = models.ForeignKey(
        "grants.FundingRound", on_delete=models.CASCADE, related_name="review_events"
    )
    application = models.ForeignKey(
        "applications.Application", null=True, blank=True,
        on_delete=models.CASCADE, related_name="review_events",
    )

    class Meta(EventModel.Meta):
        verbose_name = _("review event")
        verbose_name_plural = _("review events")
