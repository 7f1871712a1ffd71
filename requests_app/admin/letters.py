"""Letters on the request's admin page (§41–42): two buttons ("Write a letter", "Record a letter as
sent") that call `requests_app.letters`, and the list of the request's letters with their files."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from privacy.models import Language

from .. import deadlines, letters
from ..forms import TransitionForm
from ..models import Letter, SubjectRequest
from .steps import ListedInline


class LetterForm(TransitionForm):
    """Which letter, in which language: the customer's preferred one unless staff choose otherwise."""

    kind = forms.ChoiceField(label=_("letter"), choices=Letter.Kind.choices)
    language = forms.ChoiceField(
        label=_("language"),
        choices=Language.choices,
        help_text=_(
            "The customer's preferred language is chosen. Reasons typed by staff (extension, refusal) go "
            "into the letter as written: write them in this language."
        ),
    )

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        available = letters.letter_kinds_available(obj)
        self.fields["kind"].choices = [(k, label) for k, label in Letter.Kind.choices if k in available]
        self.fields["kind"].initial = available[-1]
        self.fields["language"].initial = letters.letter_language_for(obj)


class LetterSentForm(TransitionForm):
    """§42: which letter went out, how and when."""

    letter = forms.ModelChoiceField(label=_("letter"), queryset=Letter.objects.none())
    method = forms.ChoiceField(label=_("sent as (§42)"), choices=SubjectRequest.AnswerMethod.choices)
    sent_on = forms.DateField(
        label=_("sent on"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    tracking_number = forms.CharField(
        label=_("registered-mail number"),
        required=False,
        max_length=64,
        help_text=_("The post office's number of the registered letter, if it went by post."),
    )

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.fields["letter"].queryset = unsent_letters(obj)
        waiting = list(unsent_letters(obj)[:2])
        if len(waiting) == 1:  # the only letter waiting to go out is the one being recorded
            self.fields["letter"].initial = waiting[0].pk
        self.fields["letter"].label_from_instance = lambda letter: (
            f"#{letter.pk} {letter.get_kind_display()} ({letter.get_language_display()})"
        )
        self.fields["sent_on"].initial = deadlines.today()
        if obj.preferred_answer_method:
            self.fields["method"].initial = obj.preferred_answer_method


def unsent_letters(subject_request: SubjectRequest):
    return subject_request.letters.filter(sent_on__isnull=True).order_by("pk")


def letter_generate_step(obj, actor, **kwargs):
    return letters.letter_generate(subject_request=obj, actor=actor, **kwargs)


def letter_mark_sent_step(obj, actor, *, letter, **kwargs):
    return letters.letter_mark_sent(letter=letter, actor=actor, **kwargs)


class LetterInline(ListedInline):
    """The request's letters, oldest first, with their PDF and HTML and whether they went out."""

    model = Letter
    fields = [
        "kind",
        "language",
        "created_at",
        "created_by",
        "files",
        "sent_on",
        "sent_method",
        "tracking_number",
        "sent_recorded_by",
    ]
    verbose_name_plural = _("letters to the customer")

    @admin.display(description=_("files"))
    def files(self, obj):
        if not obj.pk or not obj.pdf:
            return "—"
        return format_html(
            '<a href="{}">PDF</a> · <a href="{}" target="_blank" rel="noopener">HTML</a>',
            reverse("requests_app:letter-file", args=[obj.pk, "pdf"]),
            reverse("requests_app:letter-file", args=[obj.pk, "html"]),
        )

    def has_view_permission(self, request, obj=None):
        """Whoever sees the request sees its letters listed; opening one needs `download_letter`."""
        opts = SubjectRequest._meta
        return request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or request.user.has_perm(
            f"{opts.app_label}.change_{opts.model_name}"
        )

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
