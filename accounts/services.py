"""Every write to users, organisations, memberships and invitations.

Each change to an organisation leaves an OrganisationEvent row. Who may call
what is asked in core.policies by the views and the API; these functions hold
the rules that do not depend on who asks (corporate numbers, last owner).
"""

from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.corporate_number import is_valid_corporate_number, normalise_corporate_number
from core.errors import DomainError, InvalidInput
from core.local_government_code import (
    is_valid_local_government_code,
    normalise_local_government_code,
)
from core.transitions import record
from core.vocab import LegalForm, corporate_number_required

from .models import Invitation, Membership, Organisation, OrganisationEvent, Role, User
from .notifications import hash_token
from .security import mark_email_verified, send_verification_email
from .tasks import send_invitation_email

ORGANISATION_FIELDS = frozenset(Organisation.EDITABLE_FIELDS)


def _taken_error() -> DomainError:
    return DomainError(
        _("This corporate number is already registered to another organisation."),
        code="corporate_number_taken",
        field="corporate_number",
    )


# --- Users ----------------------------------------------------------------------


@transaction.atomic
def register_user(*, email: str, full_name: str, password: str) -> User:
    """Anyone may register; a new account is an applicant, unverified until
    the link of the verification e-mail is opened. E-mail addresses are
    unique whatever their case."""
    email = (email or "").strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError(
            _("An account with this e-mail address already exists."),
            code="email_taken",
            field="email",
        )
    user = User.objects.create_user(
        email=email, full_name=full_name.strip(), password=password, role=Role.APPLICANT
    )
    # The address is not proven yet: the verification link goes out with the
    # account (outbox, after commit).
    send_verification_email(user=user, by=user)
    return user


# --- Organisations --------------------------------------------------------------


def _checked_corporate_number(values: dict, current: Organisation | None = None) -> str:
    """法人番号 (corporate number) is required and check-digit valid for
    incorporated forms, optional for 任意団体 and other groups, and unique."""
    legal_form = values.get("legal_form", current.legal_form if current else "")
    raw = values.get("corporate_number", current.corporate_number if current else "")
    number = normalise_corporate_number(raw)
    if not number:
        if corporate_number_required(legal_form):
            raise InvalidInput(
                _("A corporate number is required for this legal form."),
                code="corporate_number_required",
                field="corporate_number",
            )
        return ""
    if not is_valid_corporate_number(number):
        raise DomainError(
            _("The corporate number is not valid: it must be 13 digits with a correct check digit."),
            code="corporate_number_invalid",
            field="corporate_number",
        )
    others = Organisation.objects.filter(corporate_number=number)
    if current is not None:
        others = others.exclude(pk=current.pk)
    if others.exists():
        raise _taken_error()
    return number


def _checked_local_government_code(values: dict, current: Organisation | None = None) -> str:
    """地方公共団体コード: required, check-digit valid and unique for a local
    government (地方公共団体); no other legal form has one."""
    legal_form = values.get("legal_form", current.legal_form if current else "")
    raw = values.get("local_government_code",
                     current.local_government_code if current else "")
    code = normalise_local_government_code(raw)
    if legal_form != LegalForm.LOCAL_GOVERNMENT:
        if code:
            raise DomainError(
                _("Only a local government (地方公共団体) has a local government code."),
                code="local_government_code_not_allowed", field="local_government_code")
        return ""
    if not code:
        raise DomainError(
            _("A local government code (地方公共団体コード) is required for a local government."),
            code="local_government_code_required", field="local_government_code")
    if not is_valid_local_government_code(code):
        raise DomainError(
            _("The local government code is not valid: it must be 6 digits with a correct "
              "check digit."),
            code="local_government_code_invalid", field="local_government_code")
    others = Organisation.objects.filter(local_government_code=code)
    if current is not None:
        others = others.exclude(pk=current.pk)
    if others.exists():
        raise DomainError(
            _("Another organisation is already registered with this local government code."),
            code="local_government_code_taken", field="local_government_code")
    return code


def _check_fields(values: dict) -> None:
    unknown = set(values) - ORGANISATION_FIELDS
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")


def _number_or_claim(values: dict, current: Organisation | None, claim: bool):
    """(number to store, number to claim): a number another organisation
    holds is refused, unless the caller claims it (accounts.claim_services);
    then the organisation keeps its own number meanwhile."""
    try:
        return _checked_corporate_number(values, current=current), ""
    except DomainError as error:
        if error.code != "corporate_number_taken" or not claim:
            raise
    kept = current.corporate_number if current is not None else ""
    return kept, normalise_corporate_number(values.get("corporate_number", ""))


def _claim(organisation: Organisation, number: str, *, by, evidence: str) -> None:
    from .claim_services import open_corporate_number_claim

    if number and not organisation.corporate_number_claims.open().filter(
        corporate_number=number
    ).exists():
        open_corporate_number_claim(organisation=organisation, corporate_number=number, by=by,
                                    evidence_text=evidence)


@transaction.atomic
def create_organisation(*, by: User, claim_corporate_number: bool = False,
                        claim_evidence: str = "", **values) -> Organisation:
    """An applicant registers an organisation and becomes its first owner.
    With `claim_corporate_number`, a number another organisation holds is
    claimed (programme staff decide) instead of refused."""
    _check_fields(values)
    values["corporate_number"], claimed = _number_or_claim(values, None, claim_corporate_number)
    values["local_government_code"] = _checked_local_government_code(values)
    try:
        # A savepoint, so a concurrent registration of the same number is a
        # refusal rather than a broken transaction.
        with transaction.atomic():
            organisation = Organisation.objects.create(**values)
    except IntegrityError as error:
        raise _taken_error() from error
    Membership.objects.create(organisation=organisation, user=by, role=Membership.Role.OWNER)
    record(OrganisationEvent, organisation=organisation, by=by,
           action=OrganisationEvent.Action.CREATED, to_status=Membership.Role.OWNER,
           changes={"owner": by.email, "corporate_number": organisation.corporate_number})
    _claim(organisation, claimed, by=by, evidence=claim_evidence)
    return organisation


@transaction.atomic
def update_organisation(*, organisation: Organisation, by: User,
                        claim_corporate_number: bool = False, claim_evidence: str = "",
                        **values) -> Organisation:
    """Owners edit the details; each change is kept with old and new value.
    With `claim_corporate_number`, see create_organisation."""
    _check_fields(values)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if "legal_form" in values or "corporate_number" in values:
        values["corporate_number"], claimed = _number_or_claim(
            values, organisation, claim_corporate_number)
        _claim(organisation, claimed, by=by, evidence=claim_evidence)
    if "legal_form" in values or "local_government_code" in values:
        values["local_government_code"] = _checked_local_government_code(
            values, current=organisation)
    changes = {
        field: [getattr(organisation, field), new]
        for field, new in values.items()
        if getattr(organisation, field) != new
    }
    if not changes:
        return organisation
    for field, (_old, new) in changes.items():
        setattr(organisation, field, new)
    try:
        with transaction.atomic():
            organisation.save(update_fields=[*changes, "updated_at"])
    except IntegrityError as error:
        raise _taken_error() from error
    record(OrganisationEvent, organisation=organisation, by=by,
           action=OrganisationEvent.Action.UPDATED, changes=changes)
    return organisation


# --- Members --------------------------------------------------------------------


def _locked(organisation: Organisation) -> Organisation:
    """Lock the organisation: membership changes to one organisation queue."""
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def _check_role(role: str) -> None:
    if role not in Membership.Role.values:
        raise DomainError(_("Choose a role: owner or member."), code="bad_role", field="role")


def _refuse_if_last_owner(membership: Membership) -> None:
    """An organisation always keeps at least one owner."""
    if membership.role != Membership.Role.OWNER:
        return
    owners = Membership.objects.owners().filter(organisation_id=membership.organisation_id)
    if not owners.exclude(pk=membership.pk).exists():
        raise DomainError(
            _("The last owner cannot be removed or made a member; make someone else an owner first."),
            code="last_owner",
            field="role",
        )


@transaction.atomic
def change_member_role(*, membership: Membership, role: str, by: User) -> Membership:
    """Owners make members owners and owners members, never the last owner."""
    _check_role(role)
    organisation = _locked(membership.organisation)
    membership = Membership.objects.select_related("user").get(pk=membership.pk)
    if membership.role == role:
        return membership
    if role != Membership.Role.OWNER:
        _refuse_if_last_owner(membership)
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    record(OrganisationEvent, organisation=organisation, by=by,
           action=OrganisationEvent.Action.ROLE_CHANGED, from_status=old, to_status=role,
           changes={"user_id": membership.user_id, "email": membership.user.email})
    return membership


@transaction.atomic
def remove_member(*, membership: Membership, by: User) -> None:
    """Owners remove members; the last owner stays."""
    organisation = _locked(membership.organisation)
    membership = Membership.objects.select_related("user").get(pk=membership.pk)
    _refuse_if_last_owner(membership)
    record(OrganisationEvent, organisation=organisation, by=by,
           action=OrganisationEvent.Action.MEMBER_REMOVED, from_status=membership.role,
           changes={"user_id": membership.user_id, "email": membership.user.email})
    membership.delete()


# --- Invitations ----------------------------------------------------------------


@transaction.atomic
def invite_member(
    *, organisation: Organisation, email: str, by: User, role: str = Membership.Role.MEMBER
) -> Invitation:
    """Owners invite by e-mail; the link is valid for 7 days. One open
    invitation per address; an expired one is closed and replaced."""
    _check_role(role)
    organisation = _locked(organisation)
    email = (email or "").strip().lower()
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise DomainError(
            _("The person with this e-mail address is already a member."),
            code="already_member",
            field="email",
        )
    now = timezone.now()
    open_invitation = organisation.invitations.filter(
        email=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).first()
    if open_invitation is not None:
        if open_invitation.expires_at > now:
            raise DomainError(
                _("An invitation to this e-mail address is still pending."),
                code="already_invited",
                field="email",
            )
        open_invitation.revoked_at = now
        open_invitation.save(update_fields=["revoked_at", "updated_at"])
        record(OrganisationEvent, organisation=organisation, by=by,
               action=OrganisationEvent.Action.INVITATION_REVOKED,
               why="expired; replaced by a new invitation",
               changes={"email": email, "invitation_id": open_invitation.pk})
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=by,
        expires_at=now + Invitation.VALID_FOR,
    )
    record(OrganisationEvent, organisation=organisation, by=by,
           action=OrganisationEvent.Action.MEMBER_INVITED, to_status=role,
           changes={"email": email, "invitation_id": invitation.pk})
    transaction.on_commit(partial(send_invitation_email.delay, invitation.pk))
    return invitation


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, by: User) -> Invitation:
    """Owners withdraw a pending invitation; its link stops working."""
    _locked(invitation.organisation)
    invitation = Invitation.objects.get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise DomainError(
            _("This invitation is no longer pending."), code="invitation_not_pending"
        )
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    record(OrganisationEvent, organisation=invitation.organisation, by=by,
           action=OrganisationEvent.Action.INVITATION_REVOKED,
           changes={"email": invitation.email, "invitation_id": invitation.pk})
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    if not token:
        return None
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )


def check_invitation(*, invitation: Invitation | None, user: User) -> Invitation:
    """Refuse links that are unknown, used, withdrawn, expired, meant for
    another address, or opened by an account that cannot join."""
    from core.policies import can_accept_invitations

    if invitation is None:
        raise DomainError(
            _("This invitation link is not valid. Check that you copied it completely."),
            code="invitation_invalid",
        )
    status = invitation.status
    if status == Invitation.Status.ACCEPTED:
        raise DomainError(_("This invitation has already been used."), code="invitation_used")
    if status == Invitation.Status.REVOKED:
        raise DomainError(_("This invitation was withdrawn."), code="invitation_revoked")
    if status == Invitation.Status.EXPIRED:
        raise DomainError(
            _("This invitation has expired. Ask an owner of the organisation to invite you again."),
            code="invitation_expired",
        )
    if not can_accept_invitations(user):
        raise DomainError(
            _("Only applicant accounts can join an organisation."), code="not_applicant"
        )
    if user.email.lower() != invitation.email.lower():
        raise DomainError(
            _("This invitation was sent to another e-mail address. Log in with the address it was sent to."),
            code="invitation_other_email",
        )
    if invitation.organisation.has_member(user):
        raise DomainError(
            _("You are already a member of this organisation."), code="already_member"
        )
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, by: User) -> Membership:
    """The invited person, logged in with the invited address, joins."""
    invitation = invitation_for_token(token)
    if invitation is not None:
        _locked(invitation.organisation)
        invitation = Invitation.objects.select_related("organisation").get(pk=invitation.pk)
    check_invitation(invitation=invitation, user=by)
    membership = Membership.objects.create(
        organisation=invitation.organisation, user=by, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = by
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    record(OrganisationEvent, organisation=invitation.organisation, by=by,
           action=OrganisationEvent.Action.MEMBER_JOINED, to_status=invitation.role,
           changes={"email": by.email, "user_id": by.pk, "invitation_id": invitation.pk})
    if by.email_verified_at is None:
        # The invitation went to this address, so opening it proves the address.
        mark_email_verified(user=by, by=by, how="invitation")
    return membership
