"""Users (login by e-mail) with one role, and applicant organisations."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.prefectures import Prefecture
from core.vocab import LegalForm


class Role(models.TextChoices):
    PROGRAMME_STAFF = "staff", _("Programme staff")
    OVERSIGHT = "oversight", _("Oversight viewer")
    REVIEWER = "reviewer", _("Reviewer")
    APPLICANT = "applicant", _("Applicant")


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


class Organisation(TimeStampedModel):
    """An applicant body: an NPO, another non-profit, an unincorporated group
    (任意団体) or a local government. 法人番号 = corporate number."""

    name = models.CharField(_("name"), max_length=200)
    name_kana = models.CharField(_("name (kana)"), max_length=200, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=30, choices=LegalForm)
    corporate_number = models.CharField(
        _("corporate number"), max_length=13, blank=True, db_index=True
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

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "id"]
        constraints = [
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

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"
