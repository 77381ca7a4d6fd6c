"""Seed the feature tags of the published practice cases. Codes are stable;
staff may rename or add tags in the admin."""

from django.db import migrations

FEATURE_TAGS = [
    ("loose_participation", "ゆるやかな参加", "Loose participation"),
    ("community_ties", "地域とのつながり創出", "Creating ties with the community"),
    ("role_creation", "役割創出", "Creating roles"),
    ("multi_generation", "多世代交流", "Multi-generation exchange"),
    ("local_problem_solving", "地域課題解決", "Solving local problems"),
]


def seed(apps, schema_editor):
    FeatureTag = apps.get_model("reporting", "FeatureTag")
    for order, (code, ja, en) in enumerate(FEATURE_TAGS, 1):
        FeatureTag.objects.get_or_create(
            code=code, defaults={"name_ja": ja, "name_en": en, "sort_order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
