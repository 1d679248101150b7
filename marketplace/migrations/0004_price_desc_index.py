from django.db import migrations

# "Price: high to low" sorts DESC NULLS LAST (experts without prices last). A plain
# DESC btree index serves NULLS FIRST only, so PostgreSQL gets a matching index.
# SQLite cannot declare NULLS LAST in an index and sorts the small demo data fine.
CREATE = (
    "CREATE INDEX IF NOT EXISTS mkt_profile_price_desc ON marketplace_expertprofile "
    "(status, price_from_ref_minor DESC NULLS LAST)"
)
DROP = "DROP INDEX IF EXISTS mkt_profile_price_desc"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0003_expert_page_language_codes")]
    operations = [migrations.RunPython(create_index, drop_index)]
