"""Schedule ``marketplace.tasks.refresh_stale_next_available`` every 15 minutes in django-q2.

Idempotent like 0007: the schedule is found by its name, so running the
migration where it exists (or where an operator tuned it) changes nothing.
"""

from django.db import migrations

NAME = "marketplace: refresh stale next free times"
FUNC = "marketplace.tasks.refresh_stale_next_available"


def create_schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    if not Schedule.objects.filter(name=NAME).exists():
        Schedule.objects.create(name=NAME, func=FUNC, schedule_type="I", minutes=15, repeats=-1)


def delete_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME, func=FUNC).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0010_next_available"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create_schedule, delete_schedule)]
