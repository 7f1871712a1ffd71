"""No personal data in logs and error reports (§22), encoded or not.

The code logs ids and counts. This module is the safety net on every handler (Django's LOGGING, the
gunicorn loggers of gunicorn.conf.py, Celery's worker lines, the 500 e-mails):

- every query string in a log line keeps its parameter names and loses its values, wholesale: admin
  searches put e-mails, phones, personal codes and names there, URL-encoded (`%40`, `%2B`, `%C4%81`);
- values quoted in error messages (Django's “…”, Python's '…' and "…") are dropped: a validation error
  repeats what staff typed (`“Rūta Kārkliņa” value must be an integer.`), and no pattern recognises a
  name; the last line of a traceback keeps the exception's type only;
- what looks like a personal code, e-mail, phone or IBAN is redacted, also after URL-decoding;
- Celery's task lines lose their arguments, results and exception text (`received`, `succeeded in …:
  <result>`, `raised unexpected: <exception>`), in the message and in the record's `data`.

No Django import here: gunicorn's master loads this before Django is set up.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from urllib.parse import unquote_plus

REDACTED = "[redacted]"

#: What personal data looks like in free text: Latvian personal codes, email addresses, phone numbers
#: (Latvian 8-digit numbers, international ones) and IBANs. Names cannot be recognised by a pattern:
#: query strings and quoted values are dropped whole for that reason.
PERSONAL_PATTERNS = [
    re.compile(r"\b\d{6}-?\d{5}\b"),  # personas kods
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # email
    re.compile(r"\bLV\d{2}[A-Z]{4}\d{13}\b"),  # Latvian IBAN
    re.compile(r"(?<![\w.:/-])\+\d[\d ]{7,14}\d\b"),  # international phone
    re.compile(r"(?<![\w.:/-])[26]\d{7}\b"),  # Latvian mobile or landline
]

#: A URL's query string: after "?" up to a space, a quote or the end ("GET /admin/?q=x HTTP/1.1").
_QUERY = re.compile(r"\?([^\s\"'<>]*)")
_PARAMETER_NAME = re.compile(r"^[A-Za-z_][\w.\-\[\]]{0,63}$")
#: Values quoted in messages: Django's “…” and «…», Python's repr quotes (on one line).
_QUOTED = [
    re.compile(r"“[^”\n]*”"),
    re.compile(r"«[^»\n]*»"),
    re.compile(r"(?<![\w])'[^'\n]*'"),
]
#: A token holding percent-escapes, checked again once decoded.
_ENCODED = re.compile(r"[^\s\"'<>]*%[0-9A-Fa-f]{2}[^\s\"'<>]*")
#: Lines of a traceback that are neither a frame nor the exception's own text.
_TRACEBACK_MARKERS = ("Traceback", "The above exception", "During handling", "Stack (most recent")
_EXCEPTION_NAME = re.compile(r"^[A-Za-z_][\w.]*")
#: Keys of Celery's task-line context that carry task data.
_CELERY_DATA_KEYS = ("args", "kwargs", "return_value", "exc", "traceback")


def _query(match: re.Match) -> str:
    names = []
    for part in match.group(1).split("&"):
        if not part:
            continue
        name, has_value, _value = part.partition("=")
        decoded = unquote_plus(name)
        names.append(f"{decoded}={REDACTED}" if has_value and _PARAMETER_NAME.match(decoded) else REDACTED)
    return "?" + "&".join(names)


def redact_query_strings(text: str) -> str:
    """`/admin/privacy/customer/?q=ruta%40x.lv&o=2` → `/admin/privacy/customer/?q=[redacted]&o=[redacted]`."""
    return _QUERY.sub(_query, text)


def _patterns(text: str) -> str:
    for pattern in PERSONAL_PATTERNS:
        text = pattern.sub(REDACTED, text)
    return text


def _decoded(match: re.Match) -> str:
    token = match.group(0)
    try:
        decoded = unquote_plus(token)
    except Exception:  # noqa: BLE001 - an odd escape stays as it was, patterns still apply
        return token
    cleaned = _patterns(decoded)
    return cleaned if cleaned != decoded else token


def redact(text: str) -> str:
    """Remove what may be personal data from one log text (see the module's docstring)."""
    if not text:
        return text
    text = redact_query_strings(text)
    for pattern in _QUOTED:
        text = pattern.sub(lambda m: m.group(0)[0] + REDACTED + m.group(0)[-1], text)
    text = _ENCODED.sub(_decoded, text)
    return _patterns(text)


def redact_traceback(text: str) -> str:
    """A traceback without its exception messages (they quote values) and without personal data: the
    frames (file, line, code) stay, and each exception line keeps its type only."""
    lines = []
    state = "text"  # "frames" after a "Traceback" header, "message" in an exception's text
    for line in text.splitlines():
        marker = line.startswith(_TRACEBACK_MARKERS)
        if marker or not line.strip():
            state = "frames" if line.startswith(("Traceback", "Stack")) else "text"
            lines.append(line)
        elif state == "frames" and not line.startswith((" ", "\t")):
            name = _EXCEPTION_NAME.match(line)
            lines.append(f"{name.group(0) if name else ''}: {REDACTED}" if ":" in line else line)
            state = "message"
        elif state != "message":
            lines.append(line)
    return redact("\n".join(lines))


def _exception_name(value) -> str:
    if isinstance(value, BaseException):
        return type(value).__name__
    found = re.match(r"[A-Za-z_][\w.]*", str(value))
    return found.group(0) if found else REDACTED


def _clean_celery_context(data: Mapping) -> dict:
    cleaned = dict(data)
    for key in _CELERY_DATA_KEYS:
        if key in cleaned:
            cleaned[key] = _exception_name(cleaned[key]) if key == "exc" else REDACTED
    return cleaned


class PersonalDataLogFilter(logging.Filter):
    """The safety net on the log handlers: the record's message is rendered once, redacted, and its
    arguments dropped; its traceback loses the exception messages; Celery's task data is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, Mapping) and any(key in record.args for key in _CELERY_DATA_KEYS):
            record.args = _clean_celery_context(record.args)
        elif isinstance(record.args, tuple) and "(args:%s kwargs:%s)" in str(record.msg):
            record.args = (*record.args[:1], REDACTED, REDACTED)  # celery's "TaskPool: Apply" debug line
        data = getattr(record, "data", None)
        if isinstance(data, Mapping):
            record.data = _clean_celery_context(data)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not lose the record
            message = str(record.msg)
        record.msg, record.args = redact(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_traceback(record.exc_text)
        if getattr(record, "stack_info", None):
            record.stack_info = redact(record.stack_info)
        return True
