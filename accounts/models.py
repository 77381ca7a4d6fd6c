"""Users (login by e-mail) with one role, applicant organisations, their
members, invitations and history."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import EventModel, TimeStampedModel
from core.prefectures import Prefecture
from core.roles import Role
from core.vocab import LegalForm

from .querysets import CorporateNumberClaimQuerySet, MembershipQuerySet, OrganisationQuerySet


class EmailUserManager(UserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        # NOTE: e-mail addresses are stored lower-case; logging in with
        # "Hanako@Example.jp" must still find the account.
        return self.get(email__iexact=(username or "").strip())

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.PROGRAMME_STAFF)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person. `role` says which part of the system they work in; programme
    staff act only on the programmes that list them (Programme.staff)."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.APPLICANT)
    # When the person opened the link of the verification e-mail (or proved the
    # address otherwise: an invitation, an account made by staff). Until then
    # a self-registered applicant may not submit applications.
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]
    objects = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name

    def has_role(self, role: str) -> bool:
        return self.is_authenticated and self.is_active and self.role == role

    @property
    def is_programme_staff(self) -> bool:
        return self.has_role(Role.PROGRAMME_STAFF) or self.is_superuser

    @property
    def is_oversight(self) -> bool:
        return self.has_role(Role.OVERSIGHT)

    @property
    def is_reviewer(self) -> bool:
        return self.has_role(Role.REVIEWER)

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None


class AccountEvent(EventModel):
    """History of an account's sign-in security: e-mail verified, password
    reset, two-factor authentication enrolled or removed, recovery codes made
    and used. `actor` is who did it (the person, or staff); `user` whose
    account it is."""

    class Action(models.TextChoices):
        EMAIL_VERIFICATION_SENT = "email_verification_sent", _("Verification e-mail sent")
        EMAIL_VERIFIED = "email_verified", _("E-mail address verified")
        PASSWORD_RESET = "password_reset", _("Password reset")
        TWO_FACTOR_ENROLLED = "two_factor_enrolled", _("Two-factor authentication set up")
        TWO_FACTOR_REMOVED = "two_factor_removed", _("Two-factor authentication removed")
        RECOVERY_CODES_CREATED = "recovery_codes_created", _("Recovery codes created")
        RECOVERY_CODE_USED = "recovery_code_used", _("Recovery code used")

    user = models.ForeignKey(
        "accounts.User", verbose_name=_("user"), on_delete=models.CASCADE,
        related_name="account_events",
    )

    class Meta(EventModel.Meta):
        verbose_name = _("account event")
        verbose_name_plural = _("account events")

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class Organisation(TimeStampedModel):
    """An applicant body: an NPO, another non-profit, an unincorporated group
    (任意団体) or a local government. 法人番号 = corporate number."""

    name = models.CharField(_("name"), max_length=200)
    name_kana = models.CharField(_("name (kana)"), max_length=200, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=30, choices=LegalForm)
    corporate_number = models.CharField(
        _("corporate number"), max_length=13, blank=True, db_index=True
    )
    # 地方公共団体コード: local governments only (see core/local_government_code.py).
    local_government_code = models.CharField(
        _("local government code"), max_length=6, blank=True, db_index=True
    )
    representative_name = models.CharField(_("representative"), max_length=150)
    representative_title = models.CharField(_("representative's title"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=8, blank=True)
    prefecture = models.CharField(_("prefecture"), max_length=2, choices=Prefecture)
    municipality = models.CharField(_("municipality"), max_length=100)
    address = models.CharField(_("street address"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    members = models.ManyToManyField(
        "accounts.User", through="Membership", related_name="organisations", blank=True
    )

    # The details owners edit (accounts.services), in the order forms show them.
    EDITABLE_FIELDS = (
        "name",
        "name_kana",
        "legal_form",
        "corporate_number",
        "local_government_code",
        "representative_name",
        "representative_title",
        "postal_code",
        "prefecture",
        "municipality",
        "address",
        "contact_email",
        "phone",
        "website",
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_government_code"],
                condition=~Q(local_government_code=""),
                name="organisation_local_government_code_unique",
            ),
            models.UniqueConstraint(
                fields=["corporate_number"],
                condition=~Q(corporate_number=""),
                name="organisation_corporate_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def has_member(self, user) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        return self.memberships.filter(user=user).exists()


class Membership(TimeStampedModel):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MEMBER = "member", _("Member")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.MEMBER)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class Invitation(TimeStampedModel):
    """An owner's invitation to join an organisation, sent by e-mail.

    SECURITY: only the SHA-256 of the link's token is stored, so a database
    copy (backups, admin screens) cannot be used to join an organisation. The
    token is created when the e-mail is sent (accounts.services.
    deliver_invitation), so it never exists anywhere but in that e-mail.
    """

    VALID_FOR = timedelta(days=7)

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", pgettext_lazy("invitation", "Accepted")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=10, choices=Membership.Role, default=Membership.Role.MEMBER
    )
    token_hash = models.CharField(_("token hash"), max_length=64, blank=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    expires_at = models.DateTimeField(_("expires at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("accepted by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["token_hash"], condition=~Q(token_hash=""),
                name="invitation_token_hash_unique",
            ),
            # One open invitation per address and organisation; the service
            # closes an expired one before inviting again.
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_open_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class OrganisationEvent(EventModel):
    """History of an organisation: details edited, members invited, joined,
    re-roled and removed."""

    class Action(models.TextChoices):
        CREATED = "created", _("Organisation registered")
        UPDATED = "updated", _("Details changed")
        MEMBER_INVITED = "member_invited", _("Member invited")
        INVITATION_REVOKED = "invitation_revoked", _("Invitation withdrawn")
        MEMBER_JOINED = "member_joined", _("Member joined")
        ROLE_CHANGED = "role_changed", _("Role changed")
        MEMBER_REMOVED = "member_removed", _("Member removed")
        CORPORATE_NUMBER_CLAIMED = "corporate_number_claimed", _("Corporate number claimed")
        CORPORATE_NUMBER_MOVED = "corporate_number_moved", _("Corporate number moved by staff")

    action = models.CharField(_("action"), max_length=40, choices=Action)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="events"
    )

    class Meta(EventModel.Meta):
        verbose_name = _("organisation event")
        verbose_name_plural = _("organisation events")

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def status_choices(self):
        # Membership events record the member's role as their status.
        return Membership.Role

    @property
    def changed_field_labels(self) -> list[str]:
        """The organisation's fields this event changed, by their labels."""
        labels = []
        for name in self.changes or {}:
            try:
                labels.append(str(Organisation._meta.get_field(name).verbose_name))
            except FieldDoesNotExist:
                labels.append(name)
        return labels


# At module level so that the model's Meta constraints can name the members.
class ClaimStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("claim", "Open")
    ACCEPTED = "accepted", pgettext_lazy("claim", "Accepted")
    REJECTED = "rejected", pgettext_lazy("claim", "Rejected")


class CorporateNumberClaim(TimeStampedModel):
    """An organisation's claim to a 法人番号 (corporate number) already
    registered to another organisation. The first to register a number does
    not own it for good: programme staff check the evidence and accept (the
    number moves to the claimant) or reject (nothing changes)."""

    Status = ClaimStatus

    # Allowed moves; services refuse anything not listed.
    TRANSITIONS = {Status.OPEN: {Status.ACCEPTED, Status.REJECTED}}

    claimant = models.ForeignKey(
        Organisation, verbose_name=_("claimant organisation"), on_delete=models.CASCADE,
        related_name="corporate_number_claims",
    )
    # The organisation holding the number when the claim was made.
    holder = models.ForeignKey(
        Organisation, verbose_name=_("holder at the time of the claim"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="corporate_number_claims_against",
    )
    corporate_number = models.CharField(_("corporate number"), max_length=13, db_index=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("claimed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    evidence_text = models.TextField(_("evidence"), blank=True)
    evidence_file = models.FileField(_("evidence file"), blank=True,
                                     upload_to="corporate_number_claims/")
    evidence_name = models.CharField(_("evidence file name"), max_length=200, blank=True)
    evidence_content_type = models.CharField(_("content type"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.OPEN, db_index=True
    )
    resolution_note = models.TextField(_("resolution note"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("resolved by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    # When the owners were e-mailed the outcome; set once, so a redelivered
    # task sends nothing.
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)

    objects = CorporateNumberClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("corporate number claim")
        verbose_name_plural = _("corporate number claims")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claimant", "corporate_number"], condition=Q(status=ClaimStatus.OPEN),
                name="corporate_number_claim_open_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.corporate_number} → {self.claimant}"


class CorporateNumberClaimEvent(EventModel):
    """History of a claim: opened, accepted or rejected, by whom and why."""

    class Action(models.TextChoices):
        OPENED = "opened", _("Claimed")
        STATUS = "status", _("Status changed")

    action = models.CharField(_("action"), max_length=40, choices=Action)
    claim = models.ForeignKey(
        CorporateNumberClaim, on_delete=models.CASCADE, related_name="events"
    )

    class Meta(EventModel.Meta):
        verbose_name = _("corporate number claim event")
        verbose_name_plural = _("corporate number claim events")

    def __str__(self) -> str:
        return f"{self.claim_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def status_choices(self):
        return CorporateNumberClaim.Status
