"""Time zones stored under a legacy name a browser reported (Asia/Calcutta) get the zone's own name."""

from django.db import migrations

from core.timezones import canonical_zone


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for zone in User.objects.order_by().values_list("time_zone", flat=True).distinct():
        canonical = canonical_zone(zone)
        if canonical and canonical != zone:
            User.objects.filter(time_zone=zone).update(time_zone=canonical)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_encrypt_mfa_secrets")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
