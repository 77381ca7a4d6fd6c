"""Decision pages: the staff ranking and decisions of a round, and the
applicant's decision and its notice.

Thin: scope first (404), then the policy (403), then a service.
"""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from applications.models import Application
from core.views import get_visible_or_404, require_perm, run_service

from . import services
from .forms import (
    BulkReasonForm,
    DecisionForm,
    DecisionRowFormSet,
)
from .models import Decision
from .queries import (
    applicant_comments,
    batch_progress,
    review_links,
    round_decisions,
    round_proposal,
)
from .ranking import UNDECIDED_STATUSES, round_ranking
from .views import may_manage_round, review_round

# --- Staff: ranking and decisions ---------------------------------------------------


def ranking(request, pk):
    funding_round = review_round(request, pk)
    require_perm(request.user, "reviews.view_ranking", funding_round)
    return render(request, "reviews/ranking.html", {
        "round": funding_round, "ranking": round_ranking(funding_round),
        "review_links": review_links(funding_round, request.user),
    })


ROWS_PREFIX = "rows"


def _bound_rows(source, undecided):
    """The proposal rows as sent (a formset), or None when the request
    carries none (the first visit)."""
    if not any(key.startswith(f"{ROWS_PREFIX}-") for key in source):
        return None
    return DecisionRowFormSet(source, prefix=ROWS_PREFIX,
                              form_kwargs={"applications": undecided})


def _typed_amounts(formset) -> dict[int, int]:
    """The amounts typed in the valid rows (the proposal uses them)."""
    if formset is None or not formset.management_form.is_valid():
        return {}
    return {
        form.cleaned_data["application"]: form.cleaned_data["amount_yen"]
        for form in formset.forms
        if form.is_valid() and form.cleaned_data.get("amount_yen") is not None
    }


def _rows_for(proposal, bound, undecided):
    """(proposal row, row form) pairs. The bound forms (what was typed) when
    they match the proposal's rows, else fresh ones from the proposal."""
    ids = [str(row.ranked.id) for row in proposal.rows]
    if (bound is not None and bound.management_form.is_valid()
            and [str(form["application"].value()) for form in bound.forms] == ids):
        return bound, list(zip(proposal.rows, bound.forms, strict=True))
    fresh = DecisionRowFormSet(prefix=ROWS_PREFIX, form_kwargs={"applications": undecided},
                               initial=[{
                                   "application": row.ranked.id, "amount_yen": row.amount_yen,
                                   "outcome": Decision.Outcome.AWARDED if row.selected
                                   else Decision.Outcome.DECLINED,
                               } for row in proposal.rows])
    return fresh, list(zip(proposal.rows, fresh.forms, strict=True))


def _row_errors(formset, receipts) -> list[str]:
    """Every problem of the rows, for the summary above the table."""
    errors = [str(e) for e in formset.non_form_errors()]
    for form in formset.forms:
        if not form.errors:
            continue
        raw = str(form["application"].value())
        receipt = receipts.get(raw, raw)
        for name, field_errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            errors += [f"{receipt}: {label}: {error}" for error in field_errors]
    return errors


def decisions(request, pk):
    funding_round = review_round(request, pk)
    require_perm(request.user, "reviews.view_ranking", funding_round)
    may_manage = may_manage_round(request, funding_round)
    source = request.POST if request.method == "POST" else request.GET
    action = request.POST.get("action") if request.method == "POST" else None
    ranking_full = round_ranking(funding_round)
    undecided = [r.application for r in ranking_full.rows
                 if r.application.status in UNDECIDED_STATUSES]
    if action in ("recalculate", "bulk"):
        bound = DecisionRowFormSet(source, prefix=ROWS_PREFIX,
                                   form_kwargs={"applications": undecided})
    else:
        bound = _bound_rows(source, undecided)
    ranking_data, proposal = round_proposal(funding_round, amounts=_typed_amounts(bound),
                                            ranking=ranking_full)
    themes = {t.pk: t for t in funding_round.themes.all()}
    for row in proposal.rows:
        row.theme = themes.get(row.ranked.application.theme_id)
    receipts = {str(a.id): a.receipt_number or str(a.id) for a in undecided}
    single_form = DecisionForm(applications=undecided, prefix="single")
    bulk_form = BulkReasonForm(auto_id="bulk_%s")
    page_errors = []
    status = 200
    if bound is not None and not bound.is_valid():
        page_errors = _row_errors(bound, receipts)
        status = 400
    if request.method == "POST":
        require_perm(request.user, "reviews.manage_round", funding_round)
        if action == "recalculate":
            pass  # only the proposal with the amounts typed in
        elif action == "single":
            status = 400
            single_form = DecisionForm(request.POST, applications=undecided, prefix="single")
            if single_form.is_valid() and _decide_one(request, single_form, undecided):
                return redirect("reviews:decisions", pk=pk)
        elif action == "bulk":
            status = 400
            bulk_form = BulkReasonForm(request.POST, auto_id="bulk_%s")
            done = (not page_errors and bulk_form.is_valid()
                    and _decide_many(request, funding_round, bound, bulk_form, undecided))
            if isinstance(done, HttpResponse):  # the confirmation page
                return done
            if done:
                return redirect("reviews:decisions", pk=pk)
        else:
            status = 400
            page_errors.append(_("Unknown action: reload the page and try again."))
    row_formset, rows = _rows_for(proposal, bound, undecided)
    return render(request, "reviews/decisions.html", {
        "round": funding_round, "ranking": ranking_data, "proposal": proposal,
        "decided": round_decisions(funding_round), "batches": batch_progress(funding_round),
        "single_form": single_form, "bulk_form": bulk_form, "may_manage": may_manage,
        "row_formset": row_formset, "rows": rows, "page_errors": page_errors,
        "review_links": review_links(funding_round, request.user),
        "unmet": [
            (themes.get(theme_id), minimum, reached)
            for theme_id, (minimum, reached) in proposal.unmet_minimums.items()
        ],
    }, status=status)


def _award_amount(outcome, typed, application):
    """Awards default to the requested amount when the amount is left blank."""
    if outcome != Decision.Outcome.AWARDED:
        return None
    return application.requested_yen if typed is None else typed


def _decide_one(request, form, undecided) -> bool:
    data = form.cleaned_data
    application = Application.objects.get(pk=data["application"])
    decision = run_service(
        request, services.record_decision, application=application, outcome=data["outcome"],
        by=request.user, amount_yen=_award_amount(data["outcome"], data["amount_yen"], application),
        reason=data["reason"], success=_("Decision recorded; the notice is being prepared."),
    )
    return decision is not None


def _decide_many(request, funding_round, formset, form, undecided) -> bool:
    applications = Application.objects.in_bulk([a.id for a in undecided])
    items = []
    for row in formset.forms:
        data = row.cleaned_data
        if not data.get("decide"):
            continue
        application = applications[data["application"]]
        items.append({
            "application": application, "outcome": data["outcome"],
            "amount_yen": _award_amount(data["outcome"], data["amount_yen"], application),
            "reason": form.cleaned_data["reason"],
        })
    if request.POST.get("confirmed") != "1":
        return _confirm_decisions(request, funding_round, items, form)
    batch = run_service(request, services.record_decisions, funding_round=funding_round,
                        items=items, by=request.user)
    if batch is None:
        return False
    messages.success(request, _("%(count)s decisions recorded; their notices are being prepared.")
                     % {"count": batch.total})
    return True


def _confirm_decisions(request, funding_round, items, form):
    """What recording the ticked decisions does (notices e-mailed to every
    applicant), before it is done; the form carries the same input again."""
    if not items:
        messages.error(request, _("Choose at least one application to decide."))
        return False
    carried = [(key, value) for key, values in request.POST.lists()
               if key not in ("csrfmiddlewaretoken", "action", "confirmed") for value in values]
    labels = dict(Decision.Outcome.choices)
    for item in items:
        item["outcome_label"] = labels.get(item["outcome"], item["outcome"])
    return render(request, "reviews/decisions_confirm.html", {
        "round": funding_round, "items": items, "carried": carried,
        "reason": form.cleaned_data["reason"],
        "awarded": sum(1 for i in items if i["outcome"] == Decision.Outcome.AWARDED),
        "awarded_yen": sum(i["amount_yen"] or 0 for i in items),
    })


# --- Applicant: decisions -------------------------------------------------------------


def _decision(request, pk) -> Decision:
    decision = get_visible_or_404(
        Decision.objects.select_related("application__organisation", "funding_round__programme"),
        request.user, pk=pk,
    )
    require_perm(request.user, "reviews.view_decision", decision)
    return decision


def decision_detail(request, pk):
    """The outcome and the comments marked for the applicant (no reviewer names)."""
    decision = _decision(request, pk)
    return render(request, "reviews/decision_detail.html", {
        "decision": decision, "comments": applicant_comments(decision.application_id),
    })


def notice(request, pk):
    decision = _decision(request, pk)
    if not decision.notice_file:
        raise Http404(_("The notice is still being prepared."))
    from .notices import notice_filename

    return FileResponse(decision.notice_file.open("rb"), content_type="application/pdf",
                        filename=notice_filename(decision))
