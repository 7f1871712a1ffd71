"""Seed the cookie categories of the website banner as consent topics (§62–66). Idempotent (by code).

§62: "Balticom izmanto obligātās, funkcionālās, statistikas un mērķēšanas (reklāmas) sīkdatnes". The
necessary ones are needed for the site to work and need no consent: recorded as such, never consented to.
Touches only these four topics.
"""

from django.db import migrations

TOPICS = [
    {
        "code": "cookies_necessary",
        "needs_consent": False,
        "name_lv": "Tehniskās / obligātās sīkdatnes",
        "name_en": "Necessary (technical) cookies",
        "name_ru": "Технические / обязательные файлы cookie",
    },
    {
        "code": "cookies_functional",
        "needs_consent": True,
        "name_lv": "Funkcionālās sīkdatnes",
        "name_en": "Functional cookies",
        "name_ru": "Функциональные файлы cookie",
    },
    {
        "code": "cookies_statistics",
        "needs_consent": True,
        "name_lv": "Statistikas sīkdatnes",
        "name_en": "Statistics cookies",
        "name_ru": "Статистические файлы cookie",
    },
    {
        "code": "cookies_targeting",
        "needs_consent": True,
        "name_lv": "Mērķa (reklāmas) sīkdatnes",
        "name_en": "Targeting (advertising) cookies",
        "name_ru": "Целевые (рекламные) файлы cookie",
    },
]


def load(apps, schema_editor):
    ConsentTopic = apps.get_model("consents", "ConsentTopic")
    for row in TOPICS:
        defaults = {key: value for key, value in row.items() if key != "code"}
        defaults.update(clause="§62", commercial_notice=False, channel="", asked_through="banner")
        ConsentTopic.objects.update_or_create(code=row["code"], defaults=defaults)


class Migration(migrations.Migration):
    dependencies = [("consents", "0006_topic_asked_through_and_needs_consent")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
