"""Helpers for organisation tests."""

from accounts.models import Invitation, Membership, Organisation, OrganisationEvent
from core.corporate_number import corporate_number_check_digit

FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


def valid_number(base12: str = "234567890123") -> str:
    """A 13-digit 法人番号 with a correct check digit."""
    return f"{corporate_number_check_digit(base12)}{base12}"


def wrong_check_digit(base12: str = "234567890123") -> str:
    right = corporate_number_check_digit(base12)
    return f"{(right % 9) + 1}{base12}"


def organisation_data(**overrides) -> dict:
    """A complete organisation form, as a browser posts it."""
    data = {
        "name": "特定非営利活動法人 ひだまり",
        "name_kana": "トクテイヒエイリカツドウホウジン ヒダマリ",
        "legal_form": "npo",
        "corporate_number": valid_number(),
        "representative_name": "日向 葵",
        "representative_title": "理事長",
        "postal_code": "100-8914",
        "prefecture": "13",
        "municipality": "千代田区",
        "address": "永田町1-6-1",
        "contact_email": "info@hidamari.example.jp",
        "phone": "03-1234-5678",
        "website": "https://hidamari.example.jp/",
    }
    data.update(overrides)
    return data


def snapshot() -> dict:
    """Everything an organisation write could touch."""
    return {
        "organisations": list(Organisation.objects.order_by("pk").values()),
        "memberships": list(Membership.objects.order_by("pk").values()),
        "invitations": list(Invitation.objects.order_by("pk").values()),
        "events": list(OrganisationEvent.objects.order_by("pk").values()),
    }
