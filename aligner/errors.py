"""The one exception type the command line turns into a one-line message."""


class AlignerError(Exception):
    """A problem with the user's input or options; the message says what to do."""
