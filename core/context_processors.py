"""Navigation by role. Entries whose URL is not installed are left out."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from core import policies

# (url name, label, who sees it)
NAV = [
    ("applications:dashboard", _("My applications"), "applicant"),
    ("accounts:organisation_mine", _("My organisations"), "applicant"),
    ("reporting:award_mine", _("My awards"), "applicant"),
    ("reviews:queue", _("My reviews"), "reviewer"),
    ("grants:staff_round_list", _("Manage rounds"), "staff"),
    ("applications:staff_list", _("Applications"), "staff"),
    ("reviews:round_list", _("Reviews"), "oversight"),
    ("reporting:award_list", _("Awards"), "staff"),
    ("accounts:organisation_list", _("Organisations"), "oversight"),
    ("reporting:dashboard", _("Oversight"), "oversight"),
    ("reporting:findings", _("Findings"), "oversight"),
    ("reporting:managed_lists", _("Lists"), "oversight"),
    ("core:outbox_list", _("Outgoing e-mails"), "staff"),
]


def _audiences(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    if policies.is_staff_user(user):
        return {"staff", "oversight"}
    if policies.is_oversight(user):
        return {"oversight"}
    if policies.is_reviewer(user):
        return {"reviewer"}
    return {"applicant"}


def nav(request):
    audiences = _audiences(getattr(request, "user", None))
    items = []
    for name, label, who in NAV:
        if who not in audiences:
            continue
        try:
            items.append({"url": reverse(name), "label": label})
        except NoReverseMatch:
            continue
    return {"nav_items": items}
