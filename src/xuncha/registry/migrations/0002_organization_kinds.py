from django.db import migrations

KINDS = [
    ("township", "乡镇/街道", 10),
    ("department", "县级部门", 20),
    ("village", "村/社区", 30),
    ("soe", "国有企业", 40),
    ("school", "学校", 50),
    ("hospital", "医院", 60),
    ("other", "其他", 90),
]


def seed(apps, schema_editor):
    OrganizationKind = apps.get_model("registry", "OrganizationKind")
    for code, name, order in KINDS:
        OrganizationKind.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
