from django.db import models


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        from core.policies import applications_visible_to

        return self.filter(applications_visible_to(user)).distinct()

    def submitted(self):
        return self.exclude(status__in=["draft", "withdrawn"])
