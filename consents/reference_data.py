"""The consent topics (§46, §16–18, §56–62) and the import profiles shipped with the system (§47, §48,
§60), as plain data; `sync` (run by `manage.py sync_reference` and after every `migrate`,
privacy/sync.py) creates the ones missing from the database and leaves existing ones as staff left them.
"""

#: code, clause, commercial notice (§56–60: opt-outs within 2 days, kept in the suppression list),
#: contact channel, lv / en / ru names. Partners' offers are commercial notices on every channel (§56).
_TOPICS = [
    (
        "marketing_email",
        "§56–60, §12.10",
        True,
        "email",
        "Balticom komerciālie paziņojumi e-pastā",
        "Balticom commercial notices by email",
        "Коммерческие сообщения Balticom по электронной почте",
    ),
    (
        "marketing_sms",
        "§56–60",
        True,
        "sms",
        "Balticom komerciālie paziņojumi īsziņās (SMS)",
        "Balticom commercial notices by SMS",
        "Коммерческие сообщения Balticom по SMS",
    ),
    (
        "marketing_phone",
        "§56–60",
        True,
        "phone",
        "Balticom komerciālie paziņojumi pa tālruni",
        "Balticom commercial notices by phone",
        "Коммерческие сообщения Balticom по телефону",
    ),
    (
        "partner_offers",
        "§56, §58",
        True,
        "",
        "Sadarbības partneru komerciālie paziņojumi",
        "Commercial notices of partners",
        "Коммерческие сообщения партнёров",
    ),
    (
        "usage_analysis",
        "§46",
        False,
        "",
        "Pakalpojumu lietošanas ieradumu datu analīze",
        "Analysis of service usage habits",
        "Анализ привычек использования услуг",
    ),
    (
        "personalised_ads",
        "§46",
        False,
        "",
        "Individuāli sagatavotas reklāmas saņemšana",
        "Personalised advertising",
        "Получение индивидуально подготовленной рекламы",
    ),
    (
        "automated_decisions",
        "§16–18",
        False,
        "",
        "Automatizētu lēmumu pieņemšana",
        "Automated decisions with legal effect",
        "Принятие автоматизированных решений",
    ),
    ("surveys", "§56, §61", False, "", "Klientu aptaujas", "Customer surveys", "Опросы клиентов"),
]

#: §62: "Balticom izmanto obligātās, funkcionālās, statistikas un mērķēšanas (reklāmas) sīkdatnes",
#: asked through the website banner. The necessary ones need no consent (never consented to).
_COOKIES = [
    (
        "cookies_necessary",
        False,
        "Tehniskās / obligātās sīkdatnes",
        "Necessary (technical) cookies",
        "Технические / обязательные файлы cookie",
    ),
    (
        "cookies_functional",
        True,
        "Funkcionālās sīkdatnes",
        "Functional cookies",
        "Функциональные файлы cookie",
    ),
    (
        "cookies_statistics",
        True,
        "Statistikas sīkdatnes",
        "Statistics cookies",
        "Статистические файлы cookie",
    ),
    (
        "cookies_targeting",
        True,
        "Mērķa (reklāmas) sīkdatnes",
        "Targeting (advertising) cookies",
        "Целевые (рекламные) файлы cookie",
    ),
]

TOPICS = [
    {
        "code": code,
        "clause": clause,
        "commercial_notice": commercial,
        "channel": channel,
        "asked_through": "",
        "needs_consent": True,
        "name_lv": lv,
        "name_en": en,
        "name_ru": ru,
    }
    for code, clause, commercial, channel, lv, en, ru in _TOPICS
] + [
    {
        "code": code,
        "clause": "§62",
        "commercial_notice": False,
        "channel": "",
        "asked_through": "banner",
        "needs_consent": needs_consent,
        "name_lv": lv,
        "name_en": en,
        "name_ru": ru,
    }
    for code, needs_consent, lv, en, ru in _COOKIES
]

_OWN_COLUMNS = ("customer_number", "topic", "action", "channel", "occurred_at", "source", "policy_version")

PROFILES = [
    {
        "code": "default",
        "name": "Our own layout (customer number)",
        "match_key": "customer_number",
        "columns": {name: name for name in _OWN_COLUMNS},
        "constants": {},
        "is_default": True,
    },
    {
        "code": "email-platform-unsubscribes",
        "name": "E-mail platform: unsubscribe export",
        "match_key": "email",
        "columns": {"email": "Email Address", "occurred_at": "UNSUB_TIME", "source": "UNSUB_CAMPAIGN_TITLE"},
        "constants": {"topic": "marketing_email", "action": "withdrawn", "channel": "email"},
        "date_format": "%Y-%m-%d %H:%M:%S",
    },
    {
        "code": "sms-gateway-stop",
        "name": "SMS gateway: STOP replies",
        "match_key": "phone",
        "columns": {"phone": "msisdn", "occurred_at": "received_at"},
        "constants": {
            "topic": "marketing_sms",
            "action": "withdrawn",
            "channel": "other",
            "source": "SMS gateway STOP",
        },
        "date_format": "%d.%m.%Y %H:%M:%S",
    },
]


def sync(*, using: str = "default") -> dict[str, int]:
    """Create the missing topics and profiles (by code), without history rows, as the seeding always
    did; existing ones keep what staff changed. Returns how many of each were created."""
    from django.apps import apps

    report = {}
    for name, rows in (("ConsentTopic", TOPICS), ("ImportProfile", PROFILES)):
        model = apps.get_model("consents", name)
        existing = set(model.objects.using(using).values_list("code", flat=True))
        missing = [model(**row) for row in rows if row["code"] not in existing]
        model.objects.using(using).bulk_create(missing)
        report[name] = len(missing)
    return report
