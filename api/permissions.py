"""DRF permissions that ask core.policies, so the API and the pages agree."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

_UNSET = object()


class PolicyPermission(BasePermission):
    """Object permission through core.policies: `view.policy` names the rule.

    Views fetch objects from querysets already scoped with `visible_to(user)`
    (404 outside scope); this answers 403 inside scope without the right.

    A view that is public to read but guarded to write declares
    `read_policy` for the safe methods (None: the scope alone decides), e.g.
    `policy = "grants.manage_round"`, `read_policy = None`.
    """

    def has_permission(self, request, view):
        return True

    def has_object_permission(self, request, view, obj):
        policy = policy_for(request, view)
        if policy is None:
            return True
        return request.user.has_perm(policy, obj)


def policy_for(request, view) -> str | None:
    """The rule that guards `request.method` on `view`, or None."""
    if request.method in SAFE_METHODS:
        read_policy = getattr(view, "read_policy", _UNSET)
        if read_policy is not _UNSET:
            return read_policy
    return getattr(view, "policy", None)
