#!/usr/bin/env python3
"""Self-check for the held-out segmentation/alignment set.

Reads only the published files (NN-slug.ru.txt, NN-slug.en.txt, NN-slug.en-ru.beads)
and checks:
  * UTF-8, LF line ends, final newline, no tabs, every line stripped, no double spaces;
  * no empty sentence, no leading/trailing blank line, no double blank lines;
  * bead syntax "[en]:[ru]", indices consecutive inside a bead, both sides covered
    exactly once and in order (hence no crossing), no empty bead;
  * paragraph counts equal between languages (unless listed in UNEQUAL_PARAGRAPHS),
    and no bead straddles a paragraph break (paragraph k of en <-> paragraph k of ru);
  * balanced «» „“ () on every Russian line and even number of " and balanced () on
    every English line (a sentence should never contain half a quotation or bracket).
Prints per-document and total counts.  With --show, prints every non-1-1 bead with
its text on both sides for manual re-reading.
"""
import collections
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
UNEQUAL_PARAGRAPHS = set()   # documents where differing paragraph counts are intended
LIST_MARK_RE = re.compile(r"^[а-яa-z]\) ")
BEAD_RE = re.compile(r"^\[(\d+(?:, \d+)*)?\]:\[(\d+(?:, \d+)*)?\]$")

errors = []


def err(doc, msg):
    errors.append(f"{doc}: {msg}")


def read_text(doc, path):
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        err(doc, f"{path.name} is not UTF-8: {e}")
        return []
    if "\r" in text:
        err(doc, f"{path.name} contains CR characters")
    if "\t" in text:
        err(doc, f"{path.name} contains tabs")
    if text.startswith("\ufeff"):
        err(doc, f"{path.name} has a BOM")
    if not text.endswith("\n") or text.endswith("\n\n"):
        err(doc, f"{path.name} must end with exactly one newline")
    lines = text[:-1].split("\n") if text.endswith("\n") else text.split("\n")
    if lines and lines[0] == "":
        err(doc, f"{path.name} starts with a blank line")
    if lines and lines[-1] == "":
        err(doc, f"{path.name} ends with a blank line")
    sents = []          # (text, paragraph index)
    par = 0
    prev_blank = False
    for n, line in enumerate(lines, 1):
        if line == "":
            if prev_blank:
                err(doc, f"{path.name}:{n}: double blank line")
            prev_blank = True
            continue
        if prev_blank:
            par += 1
        prev_blank = False
        if line != line.strip():
            err(doc, f"{path.name}:{n}: line not stripped")
        if not line.strip():
            err(doc, f"{path.name}:{n}: whitespace-only line")
        if "  " in line:
            err(doc, f"{path.name}:{n}: double space")
        sents.append((line, par))
    return sents


def check_balance(doc, lang, sents):
    for i, (s, _) in enumerate(sents):
        s = LIST_MARK_RE.sub("", s)   # "а) ..." list items: the bracket is a marker
        if lang == "ru":
            pairs = [("«", "»"), ("„", "“"), ("(", ")")]
            for a, b in pairs:
                if s.count(a) != s.count(b):
                    err(doc, f"ru[{i}] unbalanced {a}{b}: {s}")
            if '"' in s:
                err(doc, f"ru[{i}] straight double quote in Russian: {s}")
        else:
            if s.count('"') % 2:
                err(doc, f"en[{i}] odd number of double quotes: {s}")
            if s.count("(") != s.count(")"):
                err(doc, f"en[{i}] unbalanced (): {s}")
            if any(c in s for c in "«»„“"):
                err(doc, f"en[{i}] Russian-style quotes in English: {s}")


def parse_beads(doc, path):
    beads = []
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if line == "" and n > 1:
            continue
        m = BEAD_RE.match(line)
        if not m:
            err(doc, f"{path.name}:{n}: bad bead line {line!r}")
            continue
        en = [int(x) for x in m.group(1).split(", ")] if m.group(1) else []
        ru = [int(x) for x in m.group(2).split(", ")] if m.group(2) else []
        if not en and not ru:
            err(doc, f"{path.name}:{n}: empty bead")
        beads.append((en, ru))
    return beads


def check_cover(doc, side, beads, idx, total):
    expect = 0
    for b in beads:
        xs = b[idx]
        for x in xs:
            if x != expect:
                err(doc, f"{side}: expected index {expect}, found {x} in bead {b}")
                return
            expect += 1
    if expect != total:
        err(doc, f"{side}: beads cover {expect} sentences, text has {total}")


def main(show):
    docs = sorted(p.name[: -len(".en-ru.beads")] for p in HERE.glob("*.en-ru.beads"))
    tot = collections.Counter()
    tot_types = collections.Counter()
    print(f"{'document':42} {'ru':>4} {'en':>4} {'par':>4} {'beads':>5}  bead types")
    for doc in docs:
        ru = read_text(doc, HERE / f"{doc}.ru.txt")
        en = read_text(doc, HERE / f"{doc}.en.txt")
        check_balance(doc, "ru", ru)
        check_balance(doc, "en", en)
        beads = parse_beads(doc, HERE / f"{doc}.en-ru.beads")
        check_cover(doc, "en", beads, 0, len(en))
        check_cover(doc, "ru", beads, 1, len(ru))
        npar_en = (en[-1][1] + 1) if en else 0
        npar_ru = (ru[-1][1] + 1) if ru else 0
        if npar_en != npar_ru and doc not in UNEQUAL_PARAGRAPHS:
            err(doc, f"paragraph counts differ: en={npar_en} ru={npar_ru}")
        types = collections.Counter()
        for e, r in beads:
            types[f"{len(e)}-{len(r)}"] += 1
            try:
                pe = {en[i][1] for i in e}
                pr = {ru[i][1] for i in r}
            except IndexError:
                continue
            if len(pe) > 1 or len(pr) > 1:
                err(doc, f"bead {e}:{r} straddles a paragraph break")
            elif pe and pr and pe != pr and doc not in UNEQUAL_PARAGRAPHS:
                err(doc, f"bead {e}:{r} links en paragraph {pe} to ru paragraph {pr}")
        tstr = ", ".join(f"{k}:{v}" for k, v in sorted(types.items()))
        print(f"{doc:42} {len(ru):4} {len(en):4} {npar_ru:4} {len(beads):5}  {tstr}")
        tot.update(ru=len(ru), en=len(en), par=npar_ru, beads=len(beads))
        tot_types.update(types)
        if show:
            for e, r in beads:
                if len(e) != 1 or len(r) != 1:
                    print(f"    bead {e}:{r}")
                    for i in e:
                        print(f"      EN {i}: {en[i][0]}")
                    for i in r:
                        print(f"      RU {i}: {ru[i][0]}")
    tstr = ", ".join(f"{k}:{v}" for k, v in sorted(tot_types.items()))
    print(f"{'TOTAL (' + str(len(docs)) + ' documents)':42} {tot['ru']:4} {tot['en']:4} "
          f"{tot['par']:4} {tot['beads']:5}  {tstr}")
    non11 = tot['beads'] - tot_types['1-1']
    print(f"non-1-1 beads: {non11} of {tot['beads']} ({100 * non11 / max(tot['beads'], 1):.1f} %)")
    if errors:
        print(f"\n{len(errors)} ERROR(S):")
        for e in errors:
            print("  " + e)
        return 1
    print("\nOK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main("--show" in sys.argv))
