"""Recorded measures placed before their periods were clocks get one: the sweep now reminds before their
last day and marks them expired after it (``preservation.expiry``)."""

from django.db import migrations

PREFIX = "preservation_measure"


def rule_of(asset_kind: str, kind: str) -> str:
    # As ``preservation.legal.measure_rule`` on the day of this migration.
    if asset_kind in ("bank", "online_payment"):
        return "measure_bank"
    if asset_kind == "vehicle" or kind == "distrain":
        return "measure_movable"
    return "measure_property"


def add_clocks(apps, schema_editor):  # type: ignore[no-untyped-def]
    from suyuan.rules import periods

    Measure = apps.get_model("preservation", "PreservationMeasure")
    Clock = apps.get_model("disputes", "Clock")
    for m in Measure.objects.filter(status__in=["active", "transferred"]).select_related("preservation"):
        ref = f"{PREFIX}:{m.pk}"
        if Clock.objects.filter(object_ref=ref, status="open").exists():
            continue
        rule = rule_of(m.asset_kind, m.kind)
        deadline = periods.compute(rule, start=m.starts_on)
        labels = {"freeze": "冻结", "seize": "查封", "distrain": "扣押"}
        what = f"{labels.get(m.kind, '')}{m.asset}"
        what = what if len(what) <= 88 else what[:87] + "…"
        Clock.objects.create(
            dispute_id=m.preservation.dispute_id, rule=rule, subject=f"保全措施（{what}）的期限", object_ref=ref,
            regime=deadline.regime, citation=deadline.citation, started_on=m.starts_on, due_on=m.ends_on,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("preservation", "0002_measure_expiry"),
        ("disputes", "0008_queue_assignee_and_saved_views"),
    ]

    operations = [migrations.RunPython(add_clocks, migrations.RunPython.noop)]
