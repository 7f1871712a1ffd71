"""Seed the consent topics (§46, §16–18, §56–61). Idempotent (update_or_create by code)."""

from django.db import migrations

TOPICS = [
    {
        "code": "marketing_email",
        "clause": "§56–60, §12.10",
        "commercial_notice": True,
        "channel": "email",
        "name_lv": "Balticom komerciālie paziņojumi e-pastā",
        "name_en": "Balticom commercial notices by email",
        "name_ru": "Коммерческие сообщения Balticom по электронной почте",
    },
    {
        "code": "marketing_sms",
        "clause": "§56–60",
        "commercial_notice": True,
        "channel": "sms",
        "name_lv": "Balticom komerciālie paziņojumi īsziņās (SMS)",
        "name_en": "Balticom commercial notices by SMS",
        "name_ru": "Коммерческие сообщения Balticom по SMS",
    },
    {
        "code": "marketing_phone",
        "clause": "§56–60",
        "commercial_notice": True,
        "channel": "phone",
        "name_lv": "Balticom komerciālie paziņojumi pa tālruni",
        "name_en": "Balticom commercial notices by phone",
        "name_ru": "Коммерческие сообщения Balticom по телефону",
    },
    {
        "code": "partner_offers",
        "clause": "§56, §58",
        "commercial_notice": False,
        "channel": "",
        "name_lv": "Sadarbības partneru komerciālie paziņojumi",
        "name_en": "Commercial notices of partners",
        "name_ru": "Коммерческие сообщения партнёров",
    },
    {
        "code": "usage_analysis",
        "clause": "§46",
        "commercial_notice": False,
        "channel": "",
        "name_lv": "Pakalpojumu lietošanas ieradumu datu analīze",
        "name_en": "Analysis of service usage habits",
        "name_ru": "Анализ привычек использования услуг",
    },
    {
        "code": "personalised_ads",
        "clause": "§46",
        "commercial_notice": False,
        "channel": "",
        "name_lv": "Individuāli sagatavotas reklāmas saņemšana",
        "name_en": "Personalised advertising",
        "name_ru": "Получение индивидуально подготовленной рекламы",
    },
    {
        "code": "automated_decisions",
        "clause": "§16–18",
        "commercial_notice": False,
        "channel": "",
        "name_lv": "Automatizētu lēmumu pieņemšana",
        "name_en": "Automated decisions with legal effect",
        "name_ru": "Принятие автоматизированных решений",
    },
    {
        "code": "surveys",
        "clause": "§56, §61",
        "commercial_notice": False,
        "channel": "",
        "name_lv": "Klientu aptaujas",
        "name_en": "Customer surveys",
        "name_ru": "Опросы клиентов",
    },
]


def load(apps, schema_editor):
    ConsentTopic = apps.get_model("consents", "ConsentTopic")
    for row in TOPICS:
        ConsentTopic.objects.update_or_create(
            code=row["code"], defaults={key: value for key, value in row.items() if key != "code"}
        )


class Migration(migrations.Migration):
    dependencies = [("consents", "0001_ledger_state_imports")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
