"""The languages experts can speak, and the indexes Django's model options cannot declare.

PostgreSQL only, so SQLite (the embedded demo) keeps working:
- "Price: high to low" sorts DESC NULLS LAST (experts without prices last). A
  plain DESC btree index serves NULLS FIRST only, so PostgreSQL gets a matching
  index. SQLite cannot declare NULLS LAST in an index and sorts the demo's data fine.
- The GIN index that serves "search document @@ query" on the browse page.
"""

from django.db import migrations

LANGUAGES = [
    ("ar", "Arabic"), ("zh", "Chinese"), ("nl", "Dutch"), ("en", "English"), ("fr", "French"),
    ("de", "German"), ("hi", "Hindi"), ("it", "Italian"), ("ja", "Japanese"), ("ko", "Korean"),
    ("pl", "Polish"), ("pt", "Portuguese"), ("ru", "Russian"), ("es", "Spanish"), ("sw", "Swahili"),
    ("sv", "Swedish"), ("tr", "Turkish"), ("uk", "Ukrainian"), ("vi", "Vietnamese"), ("yo", "Yoruba"),
]

CREATE_INDEXES = """
CREATE INDEX IF NOT EXISTS mkt_profile_price_desc ON marketplace_expertprofile
    (status, price_from_ref_minor DESC NULLS LAST);
CREATE INDEX IF NOT EXISTS mkt_search_document_vector ON marketplace_expertsearchdocument USING gin (vector);
"""
DROP_INDEXES = """
DROP INDEX IF EXISTS mkt_profile_price_desc;
DROP INDEX IF EXISTS mkt_search_document_vector;
"""


def add_languages(apps, schema_editor):
    Language = apps.get_model("marketplace", "Language")
    for code, name in LANGUAGES:
        Language.objects.get_or_create(code=code, defaults={"name": name})


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_INDEXES, params=None)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEXES, params=None)


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0001_initial")]
    operations = [
        migrations.RunPython(add_languages, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
