"""Chainable filters for organisations and their members."""

from django.db import models
from django.db.models import Q

from core.corporate_number import normalise_corporate_number


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Organisations the user may open (core.policies)."""
        from core.policies import organisations_visible_to

        return self.filter(organisations_visible_to(user))

    def search(self, text: str):
        """Name, kana or corporate number (full-width digits and hyphens
        accepted, as people copy them from the NTA site)."""
        text = (text or "").strip()
        if not text:
            return self
        query = Q(name__icontains=text) | Q(name_kana__icontains=text)
        digits = normalise_corporate_number(text)
        if digits.isascii() and digits.isdigit():
            query |= Q(corporate_number__contains=digits)
        return self.filter(query)

    def with_member_count(self):
        from core.subqueries import count_of

        from .models import Membership

        return self.annotate(member_count=count_of(Membership.objects, "organisation"))


class MembershipQuerySet(models.QuerySet):
    def owners(self):
        return self.filter(role="owner")


class CorporateNumberClaimQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Claims the user may open (core.policies)."""
        from core.policies import corporate_number_claims_visible_to

        return self.filter(corporate_number_claims_visible_to(user))

    def open(self):
        return self.filter(status=self.model.Status.OPEN)
