from django.db import migrations

from suyuan.common.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("disputes", "0001_initial")]
    operations = [append_only("disputes_disputeevent")]
