from django.db import migrations

from suyuan.common.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]
    operations = [append_only("accounts_auditentry")]
