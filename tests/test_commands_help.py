"""Every management command of ours prints its --help (the operators' first look at it): two failed with
a TypeError because argparse cannot format a lazy translation."""

import io
from contextlib import redirect_stdout

import pytest
from django.core.management import call_command, get_commands

OUR_APPS = {"privacy", "consents", "requests_app", "retention"}
COMMANDS = sorted(name for name, app in get_commands().items() if app in OUR_APPS)


def test_the_commands_are_discovered():
    assert {"import_consents", "export_marketing_audience", "enforce_retention"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_help_is_printed(name):
    out = io.StringIO()
    with redirect_stdout(out), pytest.raises(SystemExit) as exit_:
        call_command(name, "--help")
    assert exit_.value.code == 0
    usage, *rest = out.getvalue().splitlines()
    assert usage.startswith("usage:") and name in usage
    assert any("--help" in line for line in rest)
