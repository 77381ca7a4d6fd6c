"""Admin: read-mostly views of the review records. Writes go through the
staff pages (services), so history and side effects stay consistent."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import (
    Assignment,
    ConflictOfInterest,
    Criterion,
    Decision,
    DecisionBatch,
    Review,
    ReviewerProfile,
    ReviewEvent,
    Rubric,
    Score,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ("position", "name", "weight", "scale_min", "scale_max")
    readonly_fields = fields
    can_delete = False


@admin.register(Rubric)
class RubricAdmin(ReadOnlyAdmin):
    list_display = ("funding_round", "reviews_per_application", "hide_scores_until_submitted")
    inlines = [CriterionInline]


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(ReadOnlyAdmin):
    list_display = ("user", "affiliation_name", "affiliation_corporate_number", "is_active")
    search_fields = ("user__email", "user__full_name", "affiliation_name")
    list_select_related = ("user",)


@admin.register(ConflictOfInterest)
class ConflictAdmin(ReadOnlyAdmin):
    list_display = ("application", "reviewer", "kind", "created_at")
    list_filter = ("kind",)
    list_select_related = ("application", "reviewer")


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("application", "reviewer", "status", "source", "due_on")
    list_filter = ("status", "source")
    list_select_related = ("application", "reviewer")


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ("assignment", "status", "recommendation", "submitted_at")
    list_filter = ("status",)
    inlines = [ScoreInline]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("application", "outcome", "amount_yen", "decided_at", "notice_emailed_at")
    list_filter = ("outcome",)
    list_select_related = ("application",)


@admin.register(DecisionBatch)
class DecisionBatchAdmin(ReadOnlyAdmin):
    list_display = ("funding_round", "total", "created_at")


@admin.register(ReviewEvent)
class ReviewEventAdmin(ReadOnlyAdmin):
    list_display = ("funding_round", "application", "action", "actor", "at")
    list_filter = ("action",)
