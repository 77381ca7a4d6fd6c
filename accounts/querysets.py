"""Chainable filters for organisations and their members."""

from django.db import models
from django.db.models import Q

from core.corporate_number import normalise_corporate_number
from core.search import folded_contains, search_variants


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Organisations the user may open (core.policies)."""
        from core.policies import organisations_visible_to

        return self.filter(organisations_visible_to(user))

    def search(self, text: str):
        """Name, kana or corporate number, folded (core.search): "ＮＰＯ" finds
        "NPO法人…", "ヒダマリ" finds "ﾋﾀﾞﾏﾘ", and full-width digits and hyphens
        are accepted, as people copy them from the NTA site."""
        if not search_variants(text):
            return self
        query = folded_contains(("name", "name_kana"), text)
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
