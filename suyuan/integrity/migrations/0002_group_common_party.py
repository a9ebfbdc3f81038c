"""Groups form around a common party on either side: a respondent, or an institution filing a batch."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("integrity", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="disputegroup", name="group_lookup_idx"),
        migrations.RenameField(model_name="disputegroup", old_name="respondent", new_name="party"),
        migrations.AlterField(
            model_name="disputegroup",
            name="party",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT, related_name="+", to="parties.party", verbose_name="共同当事人"
            ),
        ),
        migrations.AddField(
            model_name="disputegroup",
            name="side",
            field=models.CharField(
                choices=[("applicant", "申请人"), ("respondent", "被申请人"), ("third_party", "第三人")],
                default="respondent", max_length=20, verbose_name="共同当事人地位",
            ),
        ),
        migrations.AddIndex(
            model_name="disputegroup",
            index=models.Index(fields=["party", "side", "category", "court", "-last_at"], name="group_party_lookup_idx"),
        ),
    ]
