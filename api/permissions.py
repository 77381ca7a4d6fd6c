from rest_framework.permissions import BasePermission


class PolicyPermission(BasePermission):
    """Object permission through core.policies: `view.policy` names the rule.

    Views fetch objects from querysets already scoped with `visible_to(user)`
    (404 outside scope); this answers 403 inside scope without the right.
    """

    def has_permission(self, request, view):
        return True

    def has_object_permission(self, request, view, obj):
        policy = getattr(view, "policy", None)
        if policy is None:
            return True
        return request.user.has_perm(policy, obj)
