"""Hardening of the admin (§22): a cap on request bodies, and the log filter and 500 e-mail that keep
personal data out of logs and error reports. (The client address the login lockout counts by is
django-axes' own, through django-ipware: see AXES_IPWARE_* in config/settings.py.)"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.utils.log import AdminEmailHandler
from django.utils.translation import gettext as _
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from .log_redaction import REDACTED, PersonalDataLogFilter, redact, redact_query_strings


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


# --- No personal data in application logs and error reports (§22) ----------------------------------

# The redaction itself lives in privacy/log_redaction.py (no Django import: gunicorn loads it too); its
# names are re-exported here, where LOGGING and the tests name them.
__all__ = ["REDACTED", "PersonalDataLogFilter", "redact", "redact_query_strings"]


class PersonalDataExceptionReporterFilter(SafeExceptionReporterFilter):
    """A 500 e-mail to ADMINS shows the names of GET and POST parameters and cookies, never their values,
    nor a request header that can carry a query string, nor the frames' local variables."""

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return dict.fromkeys(request.POST, REDACTED)

    def get_safe_cookies(self, request):
        return dict.fromkeys(getattr(request, "COOKIES", {}), REDACTED)

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        return {key: redact(value) if isinstance(value, str) else value for key, value in meta.items()} | {
            key: REDACTED for key in ("QUERY_STRING", "HTTP_REFERER", "HTTP_COOKIE") if key in meta
        }

    def get_traceback_frame_variables(self, request, tb_frame):
        return [(name, REDACTED) for name, _value in super().get_traceback_frame_variables(request, tb_frame)]


class PersonalDataExceptionReporter(ExceptionReporter):
    """The text and HTML of a 500 report without values typed by anyone: parameter values, the query
    string, the exception's message (a validation error repeats what was typed). Used by the e-mail
    handler only: the DEBUG page, shown to the developer at the keyboard, stays Django's own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filter = PersonalDataExceptionReporterFilter()

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if "request_GET_items" in data:
            data["request_GET_items"] = [(name, REDACTED) for name, _value in data["request_GET_items"]]
        for key in ("request_insecure_uri", "exception_value"):
            if data.get(key):
                data[key] = redact_query_strings(data[key]) if key == "request_insecure_uri" else REDACTED
        data["exception_notes"] = ""
        return data


class PersonalDataAdminEmailHandler(AdminEmailHandler):
    """Django's 500 e-mail to ADMINS, written by `PersonalDataExceptionReporter`, plain text only, and
    its subject and body passed through the log redaction once more."""

    def __init__(self, include_html=False, email_backend=None, reporter_class=None):
        super().__init__(
            include_html=False,
            email_backend=email_backend,
            reporter_class=reporter_class or "privacy.security.PersonalDataExceptionReporter",
        )

    def send_mail(self, subject, message, *args, **kwargs):
        kwargs["html_message"] = None
        super().send_mail(redact(subject), redact(message), *args, **kwargs)
