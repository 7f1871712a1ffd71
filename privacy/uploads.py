"""Checks of uploaded recording files (issue 7, §22): size, and the type read from the file's own first
bytes rather than its name or the browser's word, per kind of recording (§33, Annex 1 cat. 13, 25, 26)."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Recording

#: Sniffed type -> file extensions it may carry.
EXTENSIONS = {
    "wav": {".wav"},
    "mp3": {".mp3"},
    "ogg": {".ogg", ".oga", ".opus"},
    "m4a": {".m4a", ".mp4", ".aac"},
    "mp4": {".mp4", ".m4v", ".mov"},
    "webm": {".webm", ".mkv"},
    "pdf": {".pdf"},
    "eml": {".eml"},
}

ALLOWED_BY_KIND = {
    Recording.Kind.CALL_AUDIO: ("wav", "mp3", "ogg", "m4a"),
    Recording.Kind.VIDEO: ("mp4", "webm"),
    Recording.Kind.CORRESPONDENCE: ("pdf", "eml"),
}

_AUDIO_BRANDS = (b"M4A ", b"M4B ")
_EMAIL_HEADERS = (
    b"received:",
    b"return-path:",
    b"from:",
    b"to:",
    b"date:",
    b"subject:",
    b"message-id:",
    b"mime-version:",
    b"delivered-to:",
    b"x-",
)


def sniff(head: bytes) -> str | None:
    """The type of a file from its first bytes (at least 16), or None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if head[:4] == b"OggS":
        return "ogg"
    if head[4:8] == b"ftyp":
        return "m4a" if head[8:12] in _AUDIO_BRANDS else "mp4"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm"
    if head[:5] == b"%PDF-":
        return "pdf"
    if head.lower().startswith(_EMAIL_HEADERS) and b"\x00" not in head:
        return "eml"
    return None


def _matches(kind_types: tuple[str, ...], sniffed: str | None, suffix: str) -> bool:
    if sniffed is None:
        return False
    if sniffed == "mp4" and "m4a" in kind_types:
        # An .m4a/.mp4 audio file often carries a generic brand (isom, mp42): trust the audio kind.
        sniffed = "m4a"
    return sniffed in kind_types and suffix in EXTENSIONS[sniffed]


def max_recording_bytes() -> int:
    return getattr(settings, "RECORDING_MAX_UPLOAD_BYTES", 200 * 1024 * 1024)


def validate_recording_upload(upload, kind: str) -> None:
    """Raise ValidationError unless the file is within the size limit and, by its content and its
    name, of a type the recording's kind allows."""
    limit = max_recording_bytes()
    if upload.size > limit:
        raise forms.ValidationError(
            _("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}, code="too_large"
        )
    if upload.size == 0:
        raise forms.ValidationError(_("The file is empty."), code="empty")
    allowed = ALLOWED_BY_KIND.get(kind, ())
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    suffix = PurePath(upload.name or "").suffix.lower()
    if not _matches(allowed, sniff(head), suffix):
        names = ", ".join(sorted({ext for kind_type in allowed for ext in EXTENSIONS[kind_type]}))
        raise forms.ValidationError(
            _("This file is not a %(kind)s file of an accepted type (%(types)s), judged by its content.")
            % {"kind": Recording.Kind(kind).label if kind in Recording.Kind.values else kind, "types": names},
            code="wrong_type",
        )


class RecordingForm(forms.ModelForm):
    """The Recording admin's form: the uploaded file is size- and type-checked against its kind."""

    class Meta:
        model = Recording
        fields = ["customer", "kind", "channel", "recorded_at", "duration_seconds", "file"]

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload and hasattr(upload, "content_type"):  # a new upload (not the stored file)
            try:
                validate_recording_upload(upload, data.get("kind") or Recording.Kind.CALL_AUDIO)
            except forms.ValidationError as exc:
                self.add_error("file", exc)
        return data
