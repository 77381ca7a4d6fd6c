"""Seed the managed lists: the seven expense categories and the target groups
of DOMAIN.md. Codes are stable; staff may rename or add in the admin."""

from django.db import migrations

EXPENSES = [
    ("personnel", "人件費", "Personnel"),
    ("honoraria", "謝金", "Honoraria"),
    ("travel", "旅費", "Travel"),
    ("consumables", "消耗品費", "Consumables"),
    ("meetings", "会議費", "Meetings"),
    ("printing", "印刷製本費", "Printing and binding"),
    ("communication", "通信運搬費", "Communication and shipping"),
]


def seed(apps, schema_editor):
    from grants.services import DEFAULT_TARGET_GROUPS

    ExpenseCategory = apps.get_model("grants", "ExpenseCategory")
    TargetGroup = apps.get_model("grants", "TargetGroup")
    for order, (code, ja, en) in enumerate(EXPENSES, 1):
        ExpenseCategory.objects.get_or_create(
            code=code, defaults={"name_ja": ja, "name_en": en, "sort_order": order * 10}
        )
    for order, (code, ja, en) in enumerate(DEFAULT_TARGET_GROUPS, 1):
        TargetGroup.objects.get_or_create(
            code=code, defaults={"name_ja": ja, "name_en": en, "sort_order": order * 10}
        )
    TargetGroup.objects.get_or_create(
        code="other", defaults={"name_ja": "その他", "name_en": "Other", "sort_order": 999}
    )


class Migration(migrations.Migration):
    dependencies = [("grants", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
