"""Reference data: Ningxia's average annual wage of employed persons in urban non-private units.

Source: 宁夏回族自治区统计局, "2021年宁夏城镇非私营单位就业人员年平均工资105266元" (tj.nx.gov.cn,
2022-06-23), which also gives 2020 = 97438; 2022 = 114631 ("比2021年增加9365元", the bureau's
2022 wage release, 2023). Later years are entered in the admin when the bureau publishes them:
until then the small-claims limit is unknown, not guessed.
"""

from datetime import date

from django.db import migrations

ROWS = [
    (2020, 97438, "宁夏回族自治区统计局《2021年宁夏城镇非私营单位就业人员年平均工资105266元》（与2020年的97438元相比）", date(2022, 6, 23)),
    (2021, 105266, "宁夏回族自治区统计局《2021年宁夏城镇非私营单位就业人员年平均工资105266元》", date(2022, 6, 23)),
    (2022, 114631, "宁夏回族自治区统计局：2022年宁夏城镇非私营单位就业人员年平均工资为114631元，比2021年增加9365元", None),
]


def load(apps, schema_editor):
    Wage = apps.get_model("rules", "ProvincialWage")
    for year, amount, source, published in ROWS:
        Wage.objects.update_or_create(
            province_code="64", year=year,
            defaults={"province_name": "宁夏回族自治区", "amount": amount, "source": source, "published_on": published},
        )


def unload(apps, schema_editor):
    apps.get_model("rules", "ProvincialWage").objects.filter(province_code="64", year__in=[r[0] for r in ROWS]).delete()


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
