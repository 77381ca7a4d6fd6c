"""Admin for users (e-mail login), organisations, members and their history.

NOTE: the admin is a superuser's repair tool; everyday work goes through the
pages and services, which record history.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.admin import ReadOnlyAdmin, ServiceActionsMixin, service_action
from core.errors import DomainError

from . import claim_services, security
from .models import (
    AccountEvent,
    CorporateNumberClaim,
    CorporateNumberClaimEvent,
    Invitation,
    Membership,
    Organisation,
    OrganisationEvent,
    User,
)


class EmailUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "role")
        field_classes = {"email": forms.EmailField}


class EmailUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes = {"email": forms.EmailField}


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = EmailUserChangeForm
    add_form = EmailUserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "is_active", "is_staff", "is_superuser", "last_login"]
    list_filter = ["role", "is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [MembershipInline]

    actions = ["remove_two_factor"]

    def get_inlines(self, request, obj):
        # Memberships are added once the user exists.
        return self.inlines if obj is not None else []

    @admin.action(description=_("Remove two-factor authentication (lost phone and codes)"))
    def remove_two_factor(self, request, queryset):
        """For someone who lost both the app and the recovery codes; they set
        up a new app at their next login. Recorded in the account's history."""
        if not request.user.is_superuser:
            self.message_user(request, _("Only a superuser may do this."), messages.ERROR)
            return
        for user in queryset:
            try:
                security.remove_two_factor(user=user, by=request.user)
            except DomainError as error:
                self.message_user(request, f"{user}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, f"{user}: {_('Two-factor authentication has been removed.')}",
                                  messages.SUCCESS)

    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "role", "email_verified_at")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "role", "usable_password", "password1", "password2"),
            },
        ),
    )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "legal_form", "corporate_number", "prefecture", "municipality", "created_at"]
    list_filter = ["legal_form", "prefecture"]
    search_fields = ["name", "name_kana", "corporate_number", "contact_email"]
    inlines = [MembershipInline]
    # A website typed without a scheme is taken as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "invited_by", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    # SECURITY: the token hash never leaves the database through the admin.
    exclude = ["token_hash"]
    autocomplete_fields = ["organisation", "invited_by", "accepted_by"]
    list_select_related = ["organisation", "invited_by"]


# NOTE: django-otp's own device admins would add and delete devices with no
# history row; devices change only through accounts.security (the pages and
# the "Remove two-factor authentication" action above), which records them.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


@admin.register(AccountEvent)
class AccountEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "actor", "action"]
    list_filter = ["action"]
    search_fields = ["user__email", "actor__email"]
    list_select_related = ["user", "actor"]


@admin.register(OrganisationEvent)
class OrganisationEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "organisation", "actor", "action", "reason"]
    list_filter = ["action"]
    search_fields = ["organisation__name", "actor__email", "reason"]
    list_select_related = ["organisation", "actor"]


def _resolve(accept: bool):
    service = (claim_services.accept_corporate_number_claim if accept
               else claim_services.reject_corporate_number_claim)

    def call(claim, *, by, reason):
        service(claim=claim, by=by, note=reason)

    return call


@admin.register(CorporateNumberClaim)
class CorporateNumberClaimAdmin(ServiceActionsMixin, ReadOnlyAdmin):
    """Claims are resolved on the staff page or with these actions, which
    move the number through accounts.claim_services."""

    list_display = ["corporate_number", "claimant", "holder", "status", "created_at",
                    "resolved_at"]
    list_filter = ["status"]
    search_fields = ["corporate_number", "claimant__name", "holder__name"]
    list_select_related = ["claimant", "holder"]
    # SECURITY: the evidence file is served only by the claim page's view.
    exclude = ["evidence_file"]
    actions = [
        service_action(name="accept_claim",
                       description=_("Accept the claim (reason): move the number"),
                       perm="accounts.resolve_corporate_number_claim", call=_resolve(True)),
        service_action(name="reject_claim", description=_("Reject the claim (reason)"),
                       perm="accounts.resolve_corporate_number_claim", call=_resolve(False)),
    ]


@admin.register(CorporateNumberClaimEvent)
class CorporateNumberClaimEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "claim", "actor", "action", "from_status", "to_status", "reason"]
    list_filter = ["action", "to_status"]
    list_select_related = ["claim", "actor"]
