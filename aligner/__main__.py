"""``python -m aligner`` is the ``aligner`` command."""

from aligner.cli import main

main(prog_name="aligner")
