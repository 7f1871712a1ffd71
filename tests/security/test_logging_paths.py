"""Logs never carry personal data, encoded or not (§22: "personas dati ... aizsargāti pret nesankcionētu
piekļuvi"; README "Logs carry no personal data"). Each kind of personal value (e-mail, phone, personal
code, a Latvian name with diacritics), raw and URL-encoded, goes through every logging path with
DEBUG=false: runserver's request lines (`django.server`), gunicorn's access and error logs, Django's
error reports (`django.request` and the 500 e-mail), Celery's task lines (received, succeeded, failed,
in-process and on a real worker) and the handlers' filter itself; the captured output is grepped."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, quote_plus, urlencode

import pytest
from django.core import mail
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from config.celery import app as celery_app
from privacy.log_redaction import PersonalDataLogFilter
from privacy.models import Customer
from tests.services import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

EMAIL = "ruta.karklina59@gmail.com"
PHONE = "+37121700726"
CODE = "010190-12345"
NAME = "Rūta Kārkliņa"
VALUES = [EMAIL, PHONE, CODE, NAME]
#: Every form a value takes in a URL or a message, and fragments that would still identify the person.
SECRETS = sorted(
    {form for value in VALUES for form in (value, quote(value), quote_plus(value), quote(value, safe=""))}
    | {"karklina59", "21700726", "010190", "01019012345", "Kārkliņa", "Rūta", "K%C4%81rkli", "R%C5%ABta"}
)


def _queries() -> list[str]:
    """The query strings a search sends: each value raw (as a browser may), encoded, and both ways."""
    queries = []
    for value in VALUES:
        queries.append(urlencode({"q": value}))  # quote_plus: %40, %2B, %C4%81, +
        queries.append("q=" + quote(value, safe=""))  # %20 for the space
        queries.append("q=" + quote(value, safe="@+"))  # '@' and '+' left as typed
    queries.append(urlencode({"_changelist_filters": urlencode({"q": EMAIL, "o": "1"})}))
    return queries


def _typed_date(value: str):
    """Django's own validation of a typed value: `“Rūta Kārkliņa” value has an invalid date format…`."""
    return Customer._meta.get_field("birth_date").to_python(value)


def _leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


@contextlib.contextmanager
def console_output():
    """What the configured console handler (Django's LOGGING) writes, instead of stderr."""
    handlers = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, PersonalDataLogFilter) for f in h.filters)
    ]
    assert handlers, "the LOGGING console handler is not installed"
    buffer = io.StringIO()
    old = [handler.setStream(buffer) for handler in handlers]
    try:
        yield buffer
    finally:
        for handler, stream in zip(handlers, old, strict=True):
            handler.setStream(stream)


# --- the filter on its own -------------------------------------------------------------------------------


@pytest.mark.parametrize("query", _queries())
def test_a_request_line_keeps_the_path_and_parameter_names_only(query):
    line = f"GET /admin/privacy/customer/?{query} HTTP/1.1"
    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, '"%s" %s %s', (line, "200", "5"), None
    )
    PersonalDataLogFilter().filter(record)
    line = record.getMessage()
    assert line.startswith('"GET /admin/privacy/customer/?') and 'HTTP/1.1" 200 5' in line
    assert "[redacted]" in line
    assert _leaks(line) == []
    if query.startswith("q="):
        assert "?q=[redacted]" in line


@pytest.mark.parametrize("value", VALUES)
def test_a_validation_error_never_logs_the_typed_value(value):
    """`“Rūta Kārkliņa [redacted]” value must be an integer`: the value is dropped whole, not only the
    part that looks like a personal code."""
    try:
        _typed_date(value)
    except Exception as exc:  # noqa: BLE001
        error = exc
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed: %s", (error,), None)
    try:
        raise error
    except Exception:  # noqa: BLE001
        record.exc_info = sys.exc_info()
    PersonalDataLogFilter().filter(record)
    text = logging.Formatter("%(message)s").format(record)
    assert "ValidationError" in text  # the type of the error stays
    assert _leaks(text) == []


# --- Django: runserver, the error log and the 500 e-mail ------------------------------------------------


def _wait_for_port(port: int, proc: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text(errors="replace")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/nothing/", timeout=1)  # noqa: S310
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
            continue
        return
    raise AssertionError("server did not start:\n" + log.read_text(errors="replace"))


def _get_all(port: int) -> None:
    for query in _queries():
        for where in ("/admin/privacy/customer/", "/admin/login/", "/nothing/"):
            with contextlib.suppress(urllib.error.HTTPError, urllib.error.URLError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}{where}?{query}", timeout=10)  # noqa: S310


def _served_log(command: list[str], tmp_path: Path, port: int) -> str:
    """Start the server `command` (listening on `port`), send it every request of `_get_all`, stop it;
    the text it wrote to stdout and stderr."""
    log = tmp_path / "server.log"
    env = {**os.environ, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1", "PYTHONUNBUFFERED": "1"}
    handle = log.open("wb")
    proc = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        _wait_for_port(port, proc, log)
        _get_all(port)
    finally:
        _stop(proc)
    return log.read_text(errors="replace")


def _stop(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_runserver_request_lines_carry_no_personal_data(tmp_path):
    port = free_port()
    output = _served_log(
        [str(BIN / "python"), "manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
        tmp_path,
        port,
    )
    assert "GET /admin/privacy/customer/?q=[redacted]" in output, output[-3000:]
    assert _leaks(output) == [], output[-3000:]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_gunicorn_access_and_error_logs_carry_no_personal_data(tmp_path):
    """README: `gunicorn config.wsgi:application ...` reads gunicorn.conf.py from the working directory."""
    port = free_port()
    output = _served_log(
        [str(BIN / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        tmp_path,
        port,
    )
    assert '"GET /admin/privacy/customer/ HTTP/1.1" 302' in output, output[-3000:]  # the access line
    assert _leaks(output) == [], output[-3000:]


def _lookup(request):
    """A view that lets a typed value reach the database layer (as bugs do): a ValidationError whose
    message repeats the value, and a 500."""
    Customer.objects.filter(birth_date=_typed_date(request.GET.get("id", ""))).exists()
    return HttpResponse("never")


urlpatterns = [path("lookup/", _lookup)]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, ADMINS=[("Ops", "ops@example.lv")], DEBUG=False)
@pytest.mark.parametrize("value", VALUES)
def test_an_error_report_carries_no_personal_data(client, value):
    """django.request's "Internal Server Error" line with its traceback, and the 500 e-mail to ADMINS."""
    client.raise_request_exception = False
    with console_output() as output:
        for query in (urlencode({"id": value, "q": value}), "id=" + quote(value, safe="@+ ")):
            response = client.get(
                f"/lookup/?{query}", HTTP_REFERER=f"http://127.0.0.1/admin/?q={quote(value)}"
            )
            assert response.status_code == 500
    text = output.getvalue()
    assert "Internal Server Error: /lookup/" in text and "ValidationError" in text
    assert _leaks(text) == [], text
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        body = message.subject + message.body + "".join(str(a[0]) for a in message.alternatives)
        assert "ValidationError" in body and "id = '[redacted]'" in body
        assert _leaks(body) == [], body


# --- Celery: task lines --------------------------------------------------------------------------------


@celery_app.task(name="tests.security.echo")
def echo(value, *, fail=False):
    if fail:
        _typed_date(value)  # the value in the exception's message
    return {"echo": value}


@pytest.mark.parametrize("value", VALUES)
def test_celery_task_arguments_results_and_errors_are_not_logged(value):
    """`Task tests.security.echo[…] succeeded in 0.01s: {'echo': 'Rūta Kārkliņa'}` and the failure line
    with its exception; in the message and in the record's `data` that other formatters print."""
    seen = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append(record)

    keep = Keep()
    keep.addFilter(PersonalDataLogFilter())
    trace = logging.getLogger("celery.app.trace")
    trace.addHandler(keep)
    try:
        with console_output() as output:
            echo.apply(args=[value])
            echo.apply(args=[quote(value)], kwargs={"fail": True}, throw=False)
    finally:
        trace.removeHandler(keep)
    text = output.getvalue()
    assert "succeeded in" in text and "tests.security.echo" in text, text
    assert "raised unexpected" in text and "ValidationError" in text, text
    assert _leaks(text) == [], text
    assert seen and all(_leaks(repr(getattr(r, "data", ""))) == [] for r in seen)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_logs_no_task_argument(tmp_path):
    """A worker on Redis: the received, succeeded and failed lines of a task given a personal value."""
    from retention.models import RetentionRule
    from retention.rules import RULES
    from retention.tasks import sweep_rule
    from tests.celery_workers import Workers

    for row in RULES:  # a transactional test's flush removed the seeded rules
        RetentionRule.objects.get_or_create(code=row["code"], defaults=row)

    workers = Workers(tmp_path)
    workers.start()
    try:
        workers.wait_ready()
        for value in VALUES:
            result = sweep_rule.apply_async(
                kwargs={"code": "recordings", "as_of": value, "dry_run": True}, queue=workers.queue
            )
            with pytest.raises(ValueError):  # noqa: PT011 - what matters is what the worker logged
                result.get(timeout=30)
        ok = sweep_rule.apply_async(kwargs={"code": "recordings", "dry_run": True}, queue=workers.queue)
        ok.get(timeout=60)
    finally:
        workers.stop_all()
    output = (workers.logs / "worker.log").read_text(errors="replace")
    assert "retention.sweep_rule" in output and "received" in output and "succeeded" in output, output
    assert "raised unexpected" in output, output
    assert _leaks(output) == [], output
