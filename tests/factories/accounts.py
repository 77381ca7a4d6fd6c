import factory
from django.utils import timezone

from accounts.models import Invitation, Membership, Organisation, Role, User
from core.vocab import LegalForm

__all__ = ["UserFactory", "OrganisationFactory", "MembershipFactory", "InvitationFactory"]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.jp")
    full_name = factory.Sequence(lambda n: f"利用者{n}")
    role = Role.APPLICANT
    # Verified, as every account made by staff or an invitation is; a
    # self-registered account is not (accounts.services.register_user).
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", "pw-correct-horse")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    """`OrganisationFactory(member=user)` adds the user as owner."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"NPO法人 つながり{n}")
    name_kana = "エヌピーオーホウジン ツナガリ"
    legal_form = LegalForm.NPO
    corporate_number = factory.Sequence(lambda n: _valid_corporate_number(100000000000 + n))
    representative_name = "代表 花子"
    prefecture = "13"
    municipality = "千代田区"
    contact_email = factory.Sequence(lambda n: f"org{n}@example.jp")

    @factory.post_generation
    def member(obj, create, extracted, **kwargs):
        if create and extracted:
            Membership.objects.create(organisation=obj, user=extracted, role=Membership.Role.OWNER)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


def _valid_corporate_number(base: int) -> str:
    from core.corporate_number import corporate_number_check_digit

    base12 = f"{base:012d}"[-12:]
    return f"{corporate_number_check_digit(base12)}{base12}"


class InvitationFactory(factory.django.DjangoModelFactory):
    """A pending invitation not yet e-mailed (so it has no token yet: the
    token is made when accounts.notifications.deliver_invitation sends it)."""

    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.jp")
    role = Membership.Role.MEMBER
    expires_at = factory.LazyFunction(lambda: timezone.now() + Invitation.VALID_FOR)
