"""Hardening of the admin (§22): a cap on request bodies, and a log filter that keeps personal data out
of the application logs. (The client address the login lockout counts by is django-axes' own, through
django-ipware: see AXES_IPWARE_* in config/settings.py.)"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is larger than MAX_REQUEST_BYTES (413) before Django reads
    it, so a huge upload cannot fill the disk; the upload forms check their own, smaller limits."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = getattr(settings, "MAX_REQUEST_BYTES", 0)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit and length > limit:
            return HttpResponse(
                _("The request is too large (at most %(mb)d MB).") % {"mb": limit // (1024 * 1024)},
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


# --- No personal data in application logs ------------------------------------------------------------

REDACTED = "[redacted]"

#: What personal data looks like in free text: Latvian personal codes, email addresses, phone numbers
#: (Latvian 8-digit numbers, international ones) and IBANs. Names cannot be recognised by a pattern:
#: the code must not log them (tests/security/test_logging.py checks the import, requests and erasure).
PERSONAL_PATTERNS = [
    re.compile(r"\b\d{6}-?\d{5}\b"),  # personas kods
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # email
    re.compile(r"\bLV\d{2}[A-Z]{4}\d{13}\b"),  # Latvian IBAN
    re.compile(r"(?<![\w.:/-])\+\d[\d ]{7,14}\d\b"),  # international phone
    re.compile(r"(?<![\w.:/-])[26]\d{7}\b"),  # Latvian mobile or landline
]


def redact(text: str) -> str:
    for pattern in PERSONAL_PATTERNS:
        text = pattern.sub(REDACTED, text)
    return text


class PersonalDataLogFilter(logging.Filter):
    """A safety net on the log handlers: a personal code, email, phone number or IBAN that reaches a
    log line anyway (an exception message quoting a value, a request line with a search query) is
    replaced by "[redacted]". The record's message is rendered once and its arguments dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not lose the record
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            formatter = logging.Formatter()
            record.exc_text = formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
