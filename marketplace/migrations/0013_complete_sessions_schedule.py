"""Schedule ``marketplace.tasks.complete_past_sessions`` every 15 minutes in django-q2.

Found by its name, like 0007 and 0011: running it where the schedule exists
(or where an operator tuned it) changes nothing.
"""

from django.db import migrations

NAME = "marketplace: complete past sessions"
FUNC = "marketplace.tasks.complete_past_sessions"


def create_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.get_or_create(
        name=NAME, defaults={"func": FUNC, "schedule_type": "I", "minutes": 15, "repeats": -1}
    )


def delete_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME, func=FUNC).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0012_expert_search_documents"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create_schedule, delete_schedule)]
