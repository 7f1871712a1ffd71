"""§56, §58, §60: partners' offers are commercial notices (on every channel).

"Saziņu par komerciāliem paziņojumiem par Balticom un/vai trešo pušu pakalpojumiem ..." (§56): a
partner opt-out recorded more than 2 days late breaks §60, and erasure keeps it in the suppression list.
The topic flags 0002 seeded on an existing database are corrected here (0002 ran under a constraint
that gave every commercial topic one channel); consents/reference_data.py holds the topics as they are
now, for `manage.py sync_reference`.
"""

from django.db import migrations, models
from django.utils import timezone

#: The commercial-notice flag of each seeded topic (§52–61); tests/consents/test_topics.py checks them.
COMMERCIAL_NOTICE = {
    "marketing_email": True,
    "marketing_sms": True,
    "marketing_phone": True,
    "partner_offers": True,
    "usage_analysis": False,
    "personalised_ads": False,
    "automated_decisions": False,
    "surveys": False,
}
REASON = "§56, §58, §60: partners' offers are commercial notices"


def correct_flags(apps, schema_editor):
    """Set each topic's flag; a changed topic gets a history row saying why."""
    ConsentTopic = apps.get_model("consents", "ConsentTopic")
    HistoricalConsentTopic = apps.get_model("consents", "HistoricalConsentTopic")
    for code, commercial in COMMERCIAL_NOTICE.items():
        topic = ConsentTopic.objects.filter(code=code).exclude(commercial_notice=commercial).first()
        if topic is None:
            continue
        topic.commercial_notice = commercial
        topic.save(update_fields=["commercial_notice"])
        HistoricalConsentTopic.objects.create(
            **{f.attname: getattr(topic, f.attname) for f in ConsentTopic._meta.concrete_fields},
            history_date=timezone.now(),
            history_type="~",
            history_change_reason=REASON,
        )


class Migration(migrations.Migration):

    dependencies = [
        ('consents', '0004_bulk_history_indexes'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='consenttopic',
            name='consenttopic_commercial_notice_has_channel',
        ),
        migrations.AlterField(
            model_name='consenttopic',
            name='channel',
            field=models.CharField(blank=True, choices=[('email', 'email'), ('sms', 'SMS'), ('phone', 'phone call')], help_text="For commercial notices: the contact channel the topic covers; empty for every channel (partners' offers).", max_length=8, verbose_name='contact channel'),
        ),
        migrations.AlterField(
            model_name='consenttopic',
            name='commercial_notice',
            field=models.BooleanField(default=False, help_text='Commercial notices of the operator or of its partners (§56–60): opt-outs must be honoured within 2 days and outlive an erasure in the suppression list.', verbose_name='commercial notice'),
        ),
        migrations.AlterField(
            model_name='historicalconsenttopic',
            name='channel',
            field=models.CharField(blank=True, choices=[('email', 'email'), ('sms', 'SMS'), ('phone', 'phone call')], help_text="For commercial notices: the contact channel the topic covers; empty for every channel (partners' offers).", max_length=8, verbose_name='contact channel'),
        ),
        migrations.AlterField(
            model_name='historicalconsenttopic',
            name='commercial_notice',
            field=models.BooleanField(default=False, help_text='Commercial notices of the operator or of its partners (§56–60): opt-outs must be honoured within 2 days and outlive an erasure in the suppression list.', verbose_name='commercial notice'),
        ),
        migrations.AddConstraint(
            model_name='consenttopic',
            constraint=models.CheckConstraint(condition=models.Q(('commercial_notice', True), ('channel', ''), _connector='OR'), name='consenttopic_channel_only_for_commercial_notice', violation_error_message='Only a commercial-notice topic covers a contact channel.'),
        ),
        migrations.RunPython(correct_flags, migrations.RunPython.noop),
    ]
