"""Input shape for registration, organisations and members. The rules that
need the database (unique numbers, last owner) live in accounts.services."""

import re
import unicodedata
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth.forms import BaseUserCreationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.corporate_number import normalise_corporate_number, validate_corporate_number
from core.local_government_code import validate_local_government_code
from core.models import OutboxMessage
from core.outbox import queue_mail
from core.vocab import LegalForm, corporate_number_required

from .models import Membership, Organisation, User

_KANA = re.compile(r"^[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fb\u3000 ]+$")
_POSTAL_CODE = re.compile(r"^(\d{3})-?(\d{4})$")
_PHONE = re.compile(r"^[0-9+()\- ]{6,30}$")


def clean_kana(value: str) -> str:
    """Half-width katakana become full-width; only kana and spaces pass."""
    kana = unicodedata.normalize("NFKC", value or "").strip()
    if kana and not _KANA.match(kana):
        raise ValidationError(_("Write the name (kana) in katakana or hiragana."), code="kana")
    return kana


def clean_postal_code(value: str) -> str:
    """〒 postal code as 123-4567; full-width digits and dashes accepted."""
    value = unicodedata.normalize("NFKC", value or "").strip().replace("ー", "-").replace("−", "-")
    if not value:
        return ""
    match = _POSTAL_CODE.match(value)
    if not match:
        raise ValidationError(
            _("Enter the postal code as 7 digits, e.g. 100-8914."), code="postal_code"
        )
    return f"{match[1]}-{match[2]}"


def clean_phone(value: str) -> str:
    value = unicodedata.normalize("NFKC", value or "").strip()
    if value and not _PHONE.match(value):
        raise ValidationError(
            _("Enter the phone number with digits and hyphens only."), code="phone"
        )
    return value


def clean_corporate_number(value: str) -> str:
    """法人番号, normalised (full-width digits, hyphens and spaces accepted)
    and check-digit validated when given."""
    number = normalise_corporate_number(value)
    if number:
        validate_corporate_number(number)
    return number


def corporate_number_missing_error() -> ValidationError:
    return ValidationError(
        _("A corporate number is required for this legal form."),
        code="corporate_number_required",
    )


class RegistrationForm(BaseUserCreationForm):
    """E-mail, full name and a password typed twice (Django's validators)."""

    class Meta:
        model = User
        fields = ("email", "full_name")
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
        }

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class OrganisationForm(forms.ModelForm):
    """An organisation's details. 法人番号 (corporate number) is normalised
    here: full-width digits, hyphens and spaces are accepted."""

    # Wider than the stored 13 digits so "1-2345-6789-0123" or full-width
    # digits reach clean_corporate_number.
    corporate_number = forms.CharField(
        label=_("Corporate number"),
        required=False,
        max_length=40,
        help_text=_(
            "13 digits (法人番号). Required except for unincorporated groups (任意団体) "
            "and other forms without legal personality."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    local_government_code = forms.CharField(
        label=_("Local government code"),
        required=False,
        max_length=20,
        help_text=_("6 digits (地方公共団体コード), e.g. 131016. Local governments only."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )

    # Not stored on the organisation: a number another organisation holds
    # becomes a claim programme staff decide (accounts.claim_services).
    claim_corporate_number = forms.BooleanField(
        label=_("This corporate number is ours: ask programme staff to move it to us"),
        required=False,
        help_text=_(
            "Tick this only if another organisation has registered your corporate number. "
            "Your other details are saved; the number is moved once staff accept the claim."
        ),
    )
    claim_evidence = forms.CharField(
        label=_("Evidence for the claim"),
        required=False,
        max_length=5000,
        help_text=_("E.g. where the number is published for your organisation (国税庁法人番号公表サイト)."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Organisation
        fields = Organisation.EDITABLE_FIELDS
        help_texts = {
            "name_kana": _("In katakana or hiragana, e.g. エヌピーオーホウジン ツナガリ."),
            "postal_code": _("7 digits, e.g. 100-8914."),
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "postal_code": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "municipality": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "address": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name_kana"].required = True

    def clean_name_kana(self):
        return clean_kana(self.cleaned_data["name_kana"])

    def clean_corporate_number(self):
        return clean_corporate_number(self.cleaned_data["corporate_number"])

    def clean_postal_code(self):
        return clean_postal_code(self.cleaned_data["postal_code"])

    def clean_local_government_code(self):
        value = self.cleaned_data["local_government_code"]
        return validate_local_government_code(value) if value.strip() else ""

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        legal_form = cleaned.get("legal_form")
        if (
            legal_form
            and "corporate_number" not in self.errors
            and not cleaned.get("corporate_number")
            and corporate_number_required(legal_form)
        ):
            self.add_error("corporate_number", corporate_number_missing_error())
        if (
            legal_form == LegalForm.LOCAL_GOVERNMENT
            and "local_government_code" not in self.errors
            and not cleaned.get("local_government_code")
        ):
            self.add_error("local_government_code", ValidationError(
                _("A local government code (地方公共団体コード) is required for a local "
                  "government."), code="local_government_code_required"))
        return cleaned

    def _get_validation_exclusions(self):
        # NOTE: the unique corporate number is a service rule
        # (accounts.services) reported on the field; Django's model constraint
        # check would report it as an anonymous form error. The form field
        # above already checks the number's shape.
        exclude = super()._get_validation_exclusions()
        exclude.add("corporate_number")
        exclude.add("local_government_code")
        return exclude


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class CorporateNumberClaimForm(forms.Form):
    """A claim to a 法人番号 another organisation has registered."""

    corporate_number = forms.CharField(
        label=_("Corporate number"),
        max_length=40,
        help_text=_("13 digits (法人番号)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    evidence_text = forms.CharField(
        label=_("Evidence for the claim"),
        required=False,
        max_length=5000,
        help_text=_("E.g. where the number is published for your organisation (国税庁法人番号公表サイト)."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=_("Optional: a PDF, PNG or JPEG, e.g. the registration certificate (登記事項証明書)."),
    )

    def clean_corporate_number(self):
        number = normalise_corporate_number(self.cleaned_data["corporate_number"])
        validate_corporate_number(number)
        return number


class ClaimResolutionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept: move the number to the claimant")),
                 ("reject", _("Reject: change nothing"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Resolution note"),
        max_length=5000,
        help_text=_("Why: the organisations' owners receive this note by e-mail."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form; the mail (in the language of the page) goes into
    the outbox as a sensitive message, so its link is erased once sent.

    SECURITY: at most PASSWORD_RESET_MAILS_PER_HOUR reset mails go to one
    account in an hour, counted in the outbox (shared by every process), so
    the form cannot be used to flood someone's inbox. The page answers the
    same either way, as it does for an unknown address."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):
        since = timezone.now() - timedelta(hours=1)
        recent = OutboxMessage.objects.filter(
            key__startswith=f"accounts.password-reset:{context['uid']}:", created_at__gte=since)
        if recent.count() >= settings.PASSWORD_RESET_MAILS_PER_HOUR:
            return
        subject = render_to_string(subject_template_name, context)
        body = render_to_string(email_template_name, context)
        queue_mail(key=f"accounts.password-reset:{context['uid']}:{context['token']}",
                   subject=subject, body=body, to=[to_email], from_email=from_email,
                   is_sensitive=True)


class OneTimeCodeForm(forms.Form):
    """A 6-digit code from an authenticator app, or a recovery code."""

    otp = forms.CharField(
        label=_("One-time code"), max_length=32, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false",
                                      "autocapitalize": "off"}),
        error_messages={"required": _("Enter the code.")},
    )

    def __init__(self, *args, enrolment: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["otp"].help_text = (
            _("The 6-digit code your authenticator app shows for this account.")
            if enrolment else
            _("The 6-digit code your authenticator app shows now, or one of your recovery "
              "codes (each works once).")
        )
