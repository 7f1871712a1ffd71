"""Command-line options the management commands of every app share."""


def add_repeatable(parser, flag: str, *, metavar: str, help: str) -> None:
    """An option that may be given several times; its values arrive as a list (empty when not given)."""
    parser.add_argument(flag, action="append", default=[], metavar=metavar, help=help)
