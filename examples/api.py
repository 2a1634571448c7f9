"""The Python API in a few lines: align the bundled interview, write it, read it back, check it.

    python3 examples/api.py [OUTPUT_FOLDER]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import aligner

ROOT = Path(__file__).resolve().parent.parent
STEM = "lavrov-tass-2020-12-30"


def main(output: Path) -> None:
    source = aligner.segment(aligner.parse(ROOT / "sources" / "en" / f"{STEM}.html", "en"))
    target = aligner.segment(aligner.parse(ROOT / "sources" / "ru" / f"{STEM}.html", "ru"))
    alignment = aligner.align(source, target)
    print(f"{len(source.sentences())} English and {len(target.sentences())} Russian sentences, "
          f"{len(alignment.beads)} beads")

    written = aligner.write(alignment, output / STEM, formats=("tmx", "csv", "xliff"))
    print("wrote", ", ".join(path.name for path in written))

    corpus = aligner.read(output / f"{STEM}.tmx")
    first = corpus.records[1]
    print(f"unit {first.unit} ({first.bead}, confidence {first.confidence}):")
    print(f"  {first.source}\n  {first.target}")

    aligner.convert(output / f"{STEM}.tmx", output / f"{STEM}.po")
    report = aligner.check([output / f"{STEM}.csv"], source="en", target="ru")
    print("quality gate:", "passed" if report.passed else "failed")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as folder:
            main(Path(folder))
