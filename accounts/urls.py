from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import claim_views, security_views, views

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        login_not_required(auth_views.LoginView.as_view(template_name="accounts/login.html")),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Password reset (Django's views, mail through the outbox).
    path("password-reset/", security_views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", security_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("password-reset/done/", security_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("password-reset/<uidb64>/<token>/", security_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    # E-mail verification of self-registered accounts.
    path("verify-email/", security_views.verify_email_status, name="verify_email_status"),
    path("verify-email/<str:token>/", security_views.verify_email, name="verify_email"),
    # Sign-in security: two-factor authentication and recovery codes.
    path("security/", security_views.security_page, name="security"),
    path("two-factor/enrol/", security_views.two_factor_enrol, name="two_factor_enrol"),
    path("two-factor/verify/", security_views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/recovery-codes/", security_views.recovery_codes, name="recovery_codes"),
    path("two-factor/remove/", security_views.two_factor_remove, name="two_factor_remove"),
    path("register/", views.register, name="register"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/mine/", views.organisation_mine, name="organisation_mine"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<int:pk>/members/",
        views.organisation_members,
        name="organisation_members",
    ),
    path(
        "organisations/<int:pk>/invitations/",
        views.invitation_create,
        name="invitation_create",
    ),
    path(
        "organisations/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "organisations/<int:pk>/members/<int:membership_pk>/role/",
        views.member_role,
        name="member_role",
    ),
    path(
        "organisations/<int:pk>/members/<int:membership_pk>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    # 法人番号 claims: owners claim a number another organisation holds; staff resolve.
    path(
        "organisations/<int:pk>/corporate-number-claims/new/",
        claim_views.claim_create,
        name="claim_create",
    ),
    path("corporate-number-claims/", claim_views.claim_list, name="claim_list"),
    path("corporate-number-claims/<int:pk>/", claim_views.claim_detail, name="claim_detail"),
    path(
        "corporate-number-claims/<int:pk>/evidence/",
        claim_views.claim_evidence,
        name="claim_evidence",
    ),
    path(
        "corporate-number-claims/<int:pk>/resolve/",
        claim_views.claim_resolve,
        name="claim_resolve",
    ),
]
