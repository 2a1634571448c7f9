"""The library API behind the command line: files in, aligned files out, by one Settings object."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from aligner.align import Dictionary, align_batch, align_documents, read_dictionary
from aligner.encoding import decode
from aligner.errors import AlignerError, warn
from aligner.files import OutputFiles, read_bytes
from aligner.formats import MERGED_NAME, get_format, read_beads, write_corpus
from aligner.languages import Language
from aligner.model import LOW_CONFIDENCE, Alignment, Bead, Document, corpus_of, merge
from aligner.parse import INPUT_SUFFIXES, parse_file
from aligner.segment import segment_documents, used_srx
from aligner.settings import Settings


@dataclass(frozen=True)
class SourcePair:
    """Two language versions of one document, found by file stem."""

    stem: str
    source: Path
    target: Path


@dataclass(frozen=True)
class Summary:
    """Counts for the one-screen report of a run."""

    beads: int
    kinds: dict[str, int]
    low_confidence: int
    source_sentences: int = 0
    target_sentences: int = 0
    source_unpartnered: int = 0
    """Source sentences in 1-0 beads: without a partner on the other side."""
    target_unpartnered: int = 0

    @property
    def line(self) -> str:
        """The summary as the commands print it."""
        kinds = ", ".join(f"{kind}: {count}" for kind, count in self.kinds.items())
        return (
            f"{self.beads} beads ({kinds}); low confidence: {self.low_confidence}; without a partner: "
            f"{self.source_unpartnered} of {self.source_sentences} source, "
            f"{self.target_unpartnered} of {self.target_sentences} target sentences"
        )


def load_document(
    path: str | os.PathLike[str],
    language: Language,
    *,
    presegmented: bool = False,
    srx: str | os.PathLike[str] | None = None,
    learned: bool = True,
) -> Document:
    """Parse and segment one file, by the SRX rules in ``srx`` if given, else the toolkit's own.

    With ``learned``, the learned layer decides where the rules leave a break ambiguous, from
    evidence in the file itself (see aligner.segment.learned).
    """
    document = parse_file(path, language, presegmented=presegmented)
    return segment_documents([document], srx, learned=learned)[0].document


def load_documents(paths: list[tuple[Path, Language]], settings: Settings) -> list[Document]:
    """Parse every file, then segment them all, so that the learned layer learns from the whole batch.

    Files in the same language share their evidence; every file is read before any is segmented,
    so a bad file stops the batch early.
    """
    parsed = [parse_file(path, language, presegmented=settings.presegmented) for path, language in paths]
    return [item.document for item in segment_documents(parsed, settings.srx, learned=settings.learned_segmentation)]


def align_files(source: str | os.PathLike[str], target: str | os.PathLike[str], settings: Settings) -> Alignment:
    """Parse, segment and align two files as ``settings`` say.

    ``settings.translation`` names a file with a machine translation of each source sentence,
    one per line, used as extra evidence; ``settings.dictionary`` a bilingual dictionary in
    hunalign's format (``target phrase @ source phrase`` per line); ``settings.anchors`` a file of
    beads (a bead file, or aligner's CSV, TSV or JSONL) that the alignment must keep as they are.
    """
    translation = None
    if settings.translation is not None:
        text = decode(read_bytes(settings.translation), str(settings.translation))
        translation = [text.replace("\r\n", "\n").rstrip("\n").split("\n")]
    languages = settings.languages
    source_document, target_document = load_documents(
        [(Path(source), languages.source), (Path(target), languages.target)], settings
    )
    if settings.anchors is not None:
        anchors = [Bead(s, t, 1.0) for s, t in read_beads(settings.anchors)]
        return align_documents(
            source_document, target_document, settings.alignment,
            translation=translation[0] if translation else None, dictionary=load_dictionary(settings), anchors=anchors,
        )
    return align_batch(
        [(source_document, target_document)], settings.alignment, translations=translation,
        dictionary=load_dictionary(settings),
    )[0]


def align_pairs(
    pairs: list[SourcePair], settings: Settings, *, progress: Callable[[], None] | None = None
) -> list[Alignment]:
    """Parse, segment and align every pair; with learning on, learning spans the whole batch.

    Every file is read before any pair is aligned, so a bad file stops the batch early. The
    learned layer of segmentation also learns from the whole batch, one language at a time.
    ``progress`` is called once per aligned pair.
    """
    languages = settings.languages
    paths = [item for p in pairs for item in ((p.source, languages.source), (p.target, languages.target))]
    loaded = load_documents(paths, settings)
    documents = list(zip(loaded[0::2], loaded[1::2]))
    return align_batch(documents, settings.alignment, dictionary=load_dictionary(settings), progress=progress)


def load_dictionary(settings: Settings) -> Dictionary:
    """The entries of the settings' dictionary file, or none."""
    if settings.dictionary is None:
        return []
    path = settings.dictionary
    return read_dictionary(decode(read_bytes(path), str(path)), str(path))


SRX_SUFFIX = ".srx"


def export_alignment(
    alignment: Alignment, directory: str | os.PathLike[str], stem: str, settings: Settings, output: OutputFiles
) -> list[Path]:
    """Stage ``<directory>/<stem>.<suffix>`` for each format in ``output``; they appear when it commits.

    Unless the input was pre-segmented, ``<stem>.srx`` is staged too: the segmentation rules
    used, with the learned layer's decisions as rules, so that a CAT tool given the same text
    and this file makes the same segments.
    """
    corpus = corpus_of(alignment, settings.signature)
    formats = [get_format(name) for name in settings.formats]
    written = write_corpus(corpus, Path(directory) / stem, formats, settings.export_options(), output.open)
    if not settings.presegmented:
        path = Path(directory) / f"{stem}{SRX_SUFFIX}"
        output.add(path, used_srx([alignment.source, alignment.target], settings.srx))
        written.append(path)
    return written


MERGED_FOLDER = "merged"
"""Where a batch's merged file goes, below the output folder: a stem cannot contain a folder."""


def export_merged(
    alignments: list[Alignment], directory: str | os.PathLike[str], settings: Settings, output: OutputFiles
) -> list[Path]:
    """Stage one file of every alignment's units, in order, in each requested format that merges.

    The merged files get the segmentation rules of the whole batch next to them (see
    :func:`export_alignment`).
    """
    formats = [get_format(name) for name in settings.formats if get_format(name).merged]
    if not formats:
        return []
    signature = settings.signature
    corpus = merge([corpus_of(alignment, signature) for alignment in alignments], MERGED_NAME)
    stem = Path(directory) / MERGED_FOLDER / MERGED_NAME
    written = write_corpus(corpus, stem, formats, settings.export_options(), output.open)
    if not settings.presegmented:
        documents = [document for alignment in alignments for document in (alignment.source, alignment.target)]
        path = stem.with_name(f"{MERGED_NAME}{SRX_SUFFIX}")
        output.add(path, used_srx(documents, settings.srx))
        written.append(path)
    return written


def inputs_of(settings: Settings, *documents: str | os.PathLike[str]) -> list[Path]:
    """Every file a command with these settings reads: no output may be written over one of them."""
    extra = [settings.srx, settings.dictionary, settings.translation, settings.anchors]
    return [Path(path) for path in (*documents, *extra) if path is not None]


def find_pairs(source_directory: str | os.PathLike[str], target_directory: str | os.PathLike[str]) -> list[SourcePair]:
    """Files of the two directories paired by stem; HTML is preferred when a stem has both."""
    def by_stem(directory: Path) -> dict[str, Path]:
        if not directory.is_dir():
            raise AlignerError(f"{directory}: no such directory")
        found: dict[str, Path] = {}
        for path in sorted(directory.iterdir()):
            suffix = path.suffix.lower()
            if path.is_file() and suffix in INPUT_SUFFIXES:
                current = found.get(path.stem)
                if current is None or INPUT_SUFFIXES.index(suffix) < INPUT_SUFFIXES.index(current.suffix.lower()):
                    found[path.stem] = path
        return found

    sources, targets = by_stem(Path(source_directory)), by_stem(Path(target_directory))
    pairs = [SourcePair(stem, sources[stem], targets[stem]) for stem in sorted(sources.keys() & targets.keys())]
    if not pairs:
        raise AlignerError(
            f"no file in {source_directory} has a file with the same name in {target_directory}; "
            "name the two versions alike, such as en/interview.html and ru/interview.html"
        )
    return pairs


MOSTLY_UNALIGNED = 0.5
"""When more than this share of one side's sentences has no partner, the texts hardly match."""


def summarize(alignment: Alignment) -> Summary:
    """Bead counts by kind, low-confidence beads and sentences without a partner.

    When most sentences of a side have no partner, the two files are probably not versions
    of one document: a warning says so (the files are still written; they show what matched).
    """
    kinds = Counter(bead.kind for bead in alignment.beads)
    summary = Summary(
        beads=len(alignment.beads),
        kinds=dict(sorted(kinds.items(), key=lambda item: (-item[1], item[0]))),
        low_confidence=sum(1 for bead in alignment.beads if bead.confidence < LOW_CONFIDENCE),
        source_sentences=sum(len(bead.source) for bead in alignment.beads),
        target_sentences=sum(len(bead.target) for bead in alignment.beads),
        source_unpartnered=sum(len(bead.source) for bead in alignment.beads if not bead.target),
        target_unpartnered=sum(len(bead.target) for bead in alignment.beads if not bead.source),
    )
    shares = [
        unpartnered / total
        for unpartnered, total in (
            (summary.source_unpartnered, summary.source_sentences),
            (summary.target_unpartnered, summary.target_sentences),
        )
        if total
    ]
    if shares and max(shares) > MOSTLY_UNALIGNED:
        warn(
            f"{alignment.source.name}: {max(shares):.0%} of the sentences of one side are without a partner "
            f"({summary.source_unpartnered} of {summary.source_sentences} source, {summary.target_unpartnered} of "
            f"{summary.target_sentences} target); are the two files versions of the same document?"
        )
    return summary


__all__ = [
    "MERGED_FOLDER",
    "SRX_SUFFIX",
    "SourcePair",
    "Summary",
    "align_files",
    "align_pairs",
    "export_alignment",
    "export_merged",
    "find_pairs",
    "inputs_of",
    "load_dictionary",
    "load_document",
    "load_documents",
    "summarize",
]
