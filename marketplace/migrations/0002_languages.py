from django.db import migrations

LANGUAGES = [
    ("ar", "Arabic"), ("zh", "Chinese"), ("nl", "Dutch"), ("en", "English"), ("fr", "French"),
    ("de", "German"), ("hi", "Hindi"), ("it", "Italian"), ("ja", "Japanese"), ("ko", "Korean"),
    ("pl", "Polish"), ("pt", "Portuguese"), ("ru", "Russian"), ("es", "Spanish"), ("sw", "Swahili"),
    ("sv", "Swedish"), ("tr", "Turkish"), ("uk", "Ukrainian"), ("vi", "Vietnamese"), ("yo", "Yoruba"),
]


def add_languages(apps, schema_editor):
    Language = apps.get_model("marketplace", "Language")
    for code, name in LANGUAGES:
        Language.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0001_initial")]
    operations = [migrations.RunPython(add_languages, migrations.RunPython.noop)]
