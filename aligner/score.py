"""MT scores against an aligned corpus: sacrebleu's corpus BLEU, chrF and TER, with their signatures.

The reference is one side of an aligned file (its pairs with text on both sides, in file order)
or a plain text file, one segment per line. The metrics are sacrebleu's own classes with the
defaults of its command line, so ``aligner score`` and ``sacrebleu REF -i HYP -m bleu chrf ter``
give the same numbers on the same segments.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sacrebleu.metrics import BLEU, CHRF, TER

from aligner.encoding import decode
from aligner.errors import AlignerError
from aligner.files import read_bytes
from aligner.formats import read_path, single_file_format, text_formats


@dataclass(frozen=True)
class MetricScore:
    """One corpus-level score: ``line`` is sacrebleu's own rendering ("BLEU = 34.56 67.1/…")."""

    name: str
    score: float
    line: str
    signature: str


@dataclass(frozen=True)
class SegmentScores:
    """The sentence-level scores of one segment (BLEU with effective order, as sacrebleu's -sl)."""

    bleu: float
    chrf: float
    ter: float


@dataclass(frozen=True)
class ScoreReport:
    """Corpus scores, and per-segment ones if asked; ``reference`` says what was scored against."""

    segments: int
    reference: str
    corpus: tuple[MetricScore, ...]
    sentences: tuple[SegmentScores, ...] = ()
    sentence_signatures: tuple[str, ...] = ()


def read_lines(path: str | os.PathLike[str]) -> list[str]:
    """The lines of a text file as sacrebleu reads them: universal newlines, trailing white space dropped."""
    text = decode(read_bytes(path), str(path))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip() for line in lines]


def read_reference(path: str | os.PathLike[str], *, source_side: bool = False) -> tuple[list[str], str]:
    """The reference segments of ``path`` and a phrase that says which they are.

    An aligned file gives the target side of its pairs (the source side with
    ``source_side``); units with an empty side are left out, since no system translates
    nothing into something. Any other file is plain text, one segment per line.
    """
    file = Path(path)
    fmt = single_file_format(file)
    if fmt is None:
        if source_side:
            suffixes = sorted(suffix for fmt in text_formats() for suffix in fmt.suffixes)
            raise AlignerError(f"{file}: --src-side needs an aligned file ({', '.join(suffixes)})")
        return read_lines(file), f"{file} (plain text, one segment per line)"
    corpus = read_path(file, fmt)
    pairs = [record for record in corpus.records if record.source.strip() and record.target.strip()]
    if not pairs:
        raise AlignerError(f"{file}: no unit has text on both sides, so there is nothing to score against")
    side = "source" if source_side else "target"
    # A segment may hold a line break; on one line, as a plain reference file must have it,
    # it scores the same (every metric here splits or drops white space).
    segments = [" ".join((record.source if source_side else record.target).split()) for record in pairs]
    return segments, f"the {side} side of {file} ({len(pairs)} pairs)"


def score_files(
    hypothesis: str | os.PathLike[str],
    reference: str | os.PathLike[str],
    *,
    source_side: bool = False,
    sentence: bool = False,
) -> ScoreReport:
    """Score the MT output in ``hypothesis`` (one segment per line) against ``reference``.

    Line counts that differ are an AlignerError naming both files and their counts.
    """
    hypotheses = read_lines(hypothesis)
    references, described = read_reference(reference, source_side=source_side)
    if len(hypotheses) != len(references):
        raise AlignerError(
            f"{hypothesis} has {len(hypotheses)} lines but {reference} has {len(references)} reference segments "
            f"({described}); give one hypothesis line per reference segment"
        )
    corpus = []
    for metric in (BLEU(), CHRF(), TER()):
        result = metric.corpus_score(hypotheses, [references])
        corpus.append(MetricScore(result.name, result.score, result.format(width=2), f"{result.name}|{metric.get_signature()}"))
    if not sentence:
        return ScoreReport(len(references), described, tuple(corpus))
    # Sentence BLEU needs effective order (no zero n-gram precision on short segments):
    # sacrebleu's --sentence-level turns it on too.
    metrics = (BLEU(effective_order=True), CHRF(), TER())
    sentences = tuple(
        SegmentScores(*(metric.sentence_score(hyp, [ref]).score for metric in metrics))
        for hyp, ref in zip(hypotheses, references)
    )
    signatures = tuple(f"{score.name}|{metric.get_signature()}" for score, metric in zip(corpus, metrics))
    return ScoreReport(len(references), described, tuple(corpus), sentences, signatures)
