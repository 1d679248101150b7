"""An expert's "sessions completed" counts their completed bookings, kept in step by the database.

``ExpertProfile.sessions_completed`` was written only by the demo seeder. Now a
trigger on ``bookings_booking`` adds one when a booking becomes ``completed``
(the periodic job's one bulk UPDATE included, which sends no Django signal) and
takes one away when it stops being completed or is deleted, in the same
statement and so the same transaction. Browse keeps reading one column of the
row it already loads. Both PostgreSQL and SQLite (the embedded demo) get it;
the existing counts are recomputed from the bookings.
"""

from django.db import migrations
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

POSTGRES = """
CREATE OR REPLACE FUNCTION bookings_sessions_completed_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'completed' THEN
        UPDATE marketplace_expertprofile SET sessions_completed = GREATEST(sessions_completed - 1, 0)
        WHERE user_id = OLD.expert_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'completed' THEN
        UPDATE marketplace_expertprofile SET sessions_completed = sessions_completed + 1
        WHERE user_id = NEW.expert_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER booking_sessions_completed_insert_delete
    AFTER INSERT OR DELETE ON bookings_booking
    FOR EACH ROW EXECUTE FUNCTION bookings_sessions_completed_count();
CREATE TRIGGER booking_sessions_completed_update
    AFTER UPDATE OF status, expert_id ON bookings_booking
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.expert_id IS DISTINCT FROM NEW.expert_id)
    EXECUTE FUNCTION bookings_sessions_completed_count();
"""
DROP_POSTGRES = """
DROP TRIGGER IF EXISTS booking_sessions_completed_insert_delete ON bookings_booking;
DROP TRIGGER IF EXISTS booking_sessions_completed_update ON bookings_booking;
DROP FUNCTION IF EXISTS bookings_sessions_completed_count();
"""
SQLITE = [
    """
CREATE TRIGGER IF NOT EXISTS booking_sessions_completed_insert AFTER INSERT ON bookings_booking
FOR EACH ROW WHEN NEW.status = 'completed'
BEGIN
    UPDATE marketplace_expertprofile SET sessions_completed = sessions_completed + 1 WHERE user_id = NEW.expert_id;
END
""",
    """
CREATE TRIGGER IF NOT EXISTS booking_sessions_completed_delete AFTER DELETE ON bookings_booking
FOR EACH ROW WHEN OLD.status = 'completed'
BEGIN
    UPDATE marketplace_expertprofile SET sessions_completed = MAX(sessions_completed - 1, 0)
    WHERE user_id = OLD.expert_id;
END
""",
    """
CREATE TRIGGER IF NOT EXISTS booking_sessions_completed_update AFTER UPDATE OF status, expert_id ON bookings_booking
FOR EACH ROW WHEN OLD.status IS NOT NEW.status OR OLD.expert_id IS NOT NEW.expert_id
BEGIN
    UPDATE marketplace_expertprofile SET sessions_completed = MAX(sessions_completed - 1, 0)
    WHERE OLD.status = 'completed' AND user_id = OLD.expert_id;
    UPDATE marketplace_expertprofile SET sessions_completed = sessions_completed + 1
    WHERE NEW.status = 'completed' AND user_id = NEW.expert_id;
END
""",
]
DROP_SQLITE = [
    "DROP TRIGGER IF EXISTS booking_sessions_completed_insert",
    "DROP TRIGGER IF EXISTS booking_sessions_completed_delete",
    "DROP TRIGGER IF EXISTS booking_sessions_completed_update",
]


def recount(apps):
    Booking = apps.get_model("bookings", "Booking")
    ExpertProfile = apps.get_model("marketplace", "ExpertProfile")
    completed = (
        Booking.objects.filter(expert_id=OuterRef("user_id"), status="completed")
        .order_by()
        .values("expert_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    ExpertProfile.objects.update(sessions_completed=Coalesce(Subquery(completed), Value(0)))


def add(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement, params=None)
    recount(apps)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(DROP_POSTGRES, params=None)
    elif vendor == "sqlite":
        for statement in DROP_SQLITE:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0002_no_overlap_constraints"), ("marketplace", "0002_languages_and_postgres_indexes")]
    operations = [migrations.RunPython(add, drop)]
