"""Who may do what. Views, API, admin and templates all ask here.

Two shapes: predicates `can_<verb>_<noun>(user, obj) -> bool` for one object,
and `<things>_visible_to(user) -> Q` that scopes querysets. SECURITY: an object
outside the user's scope is answered with 404 by the interfaces; one inside it
that the user may not act on with 403.

One module split by topic (as Zulip splits zerver/models); every rule is
re-exported here, so callers import from `core.policies` only.
"""

from .applications import *  # noqa: F403
from .applications import RULES as _APPLICATION_RULES
from .awards import *  # noqa: F403
from .awards import RULES as _AWARD_RULES
from .base import *  # noqa: F403
from .base import active_user
from .grants import *  # noqa: F403
from .grants import RULES as _GRANT_RULES
from .organisations import *  # noqa: F403
from .organisations import RULES as _ORGANISATION_RULES
from .outbox import *  # noqa: F403
from .reporting import *  # noqa: F403
from .reporting import RULES as _REPORTING_RULES
from .reporting_findings import *  # noqa: F403
from .reporting_findings import RULES as _FINDING_RULES
from .reviews import *  # noqa: F403
from .reviews import RULES as _REVIEW_RULES

RULES: dict = {
    **_ORGANISATION_RULES,
    **_GRANT_RULES,
    **_APPLICATION_RULES,
    **_AWARD_RULES,
    **_REVIEW_RULES,
    **_REPORTING_RULES,
    **_FINDING_RULES,
}


class PolicyBackend:
    """Lets `user.has_perm("grants.manage_round", obj)` consult RULES."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user, perm, obj=None):
        rule = RULES.get(perm)
        return bool(active_user(user) and obj is not None and rule and rule(user, obj))
