"""The one exception type the command line turns into a one-line message, and warnings."""

import logging

_LOG = logging.getLogger("aligner")


class AlignerError(Exception):
    """A problem with the user's input or options; the message says what to do."""


def warn(message: str) -> None:
    """Report a problem that does not stop the work; the command line prints it once, on one line."""
    _LOG.warning(message)
