"""Ratings no review backs are cleared; expert time zones under legacy names get their canonical name.

No review exists yet, so every stored rating came from the demo seeder: the
cards and pages show a rating only when ``rating_count`` is above zero, and
the reviews that will write it do not exist. ``Asia/Calcutta`` and the like are
stored as the zone they link to (``core.timezones``).
"""

from django.db import migrations

from core.timezones import canonical_zone


def forwards(apps, schema_editor):
    ExpertProfile = apps.get_model("marketplace", "ExpertProfile")
    ExpertProfile.objects.exclude(rating_count=0, rating_avg=0).update(rating_avg=0, rating_count=0)
    for pk, zone in ExpertProfile.objects.values_list("pk", "time_zone"):
        canonical = canonical_zone(zone)
        if canonical and canonical != zone:
            ExpertProfile.objects.filter(pk=pk).update(time_zone=canonical)


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0002_languages_and_postgres_indexes")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
