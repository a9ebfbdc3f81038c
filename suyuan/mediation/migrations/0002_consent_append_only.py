from django.db import migrations

from suyuan.common.append_only import append_only


class Migration(migrations.Migration):
    """The consent ledger is append-only: a withdrawal is a new row, never an edit."""

    dependencies = [("mediation", "0001_initial")]
    operations = [append_only("mediation_consentrecord")]
