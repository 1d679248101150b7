"""PostgreSQL: no two slot-holding bookings overlap for one expert or for one learner.

Exclusion constraints over (user, [start, end)) for the states in
``Booking.SLOT_HOLDING``; a test reads them back from the database and compares
their WHERE clause with that tuple. Django's ``ExclusionConstraint`` is
PostgreSQL-only and would break the SQLite demo, so they are created here.
"""

from django.db import migrations

EXCLUSION = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE bookings_booking ADD CONSTRAINT booking_expert_no_overlap
    EXCLUDE USING gist (expert_id WITH =, tstzrange("start", "end", '[)') WITH &&)
    WHERE (status IN ('held', 'confirmed'));
ALTER TABLE bookings_booking ADD CONSTRAINT booking_learner_no_overlap
    EXCLUDE USING gist (learner_id WITH =, tstzrange("start", "end", '[)') WITH &&)
    WHERE (status IN ('held', 'confirmed'));
"""
DROP_EXCLUSION = """
ALTER TABLE bookings_booking DROP CONSTRAINT IF EXISTS booking_expert_no_overlap;
ALTER TABLE bookings_booking DROP CONSTRAINT IF EXISTS booking_learner_no_overlap;
"""


def add_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(EXCLUSION, params=None)


def drop_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_EXCLUSION, params=None)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]
    operations = [migrations.RunPython(add_exclusion, drop_exclusion)]
