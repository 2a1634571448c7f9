#!/usr/bin/env python3
"""Build the held-out files from the hand-written bead sources in src/.

Source format (src/NN-slug.src):
  "R| text"  one Russian sentence      "E| text"  one English sentence
  blank line ends the current bead     "¶" on its own line starts a new paragraph
  lines beginning with "%" are comments
Outputs NN-slug.ru.txt, NN-slug.en.txt, NN-slug.en-ru.beads next to this script.
No segmentation is performed: every sentence is placed on its line by hand.
"""
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent


def parse(path):
    paras = [[]]          # list of paragraphs; each is a list of beads (en, ru)
    cur = None

    def close():
        nonlocal cur
        if cur is not None:
            en, ru = cur
            if not en or not ru:
                sys.exit(f"{path.name}: bead without one side: {cur}")
            paras[-1].append(cur)
        cur = None

    for n, raw in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        line = raw.rstrip("\n")
        if line.startswith("%"):
            continue
        if line.strip() == "":
            close()
        elif line.strip() == "¶":
            close()
            if paras[-1]:
                paras.append([])
        elif line.startswith("R| ") or line.startswith("E| "):
            text = line[3:]
            if text != text.strip() or not text:
                sys.exit(f"{path.name}:{n}: stray whitespace or empty sentence")
            if cur is None:
                cur = ([], [])
            (cur[1] if line[0] == "R" else cur[0]).append(text)
        else:
            sys.exit(f"{path.name}:{n}: cannot parse line: {line!r}")
    close()
    return [p for p in paras if p]


def build(path):
    paras = parse(path)
    en_pars, ru_pars, beads = [], [], []
    ei = ri = 0
    for p in paras:
        en_lines, ru_lines = [], []
        for en, ru in p:
            beads.append((list(range(ei, ei + len(en))), list(range(ri, ri + len(ru)))))
            ei += len(en)
            ri += len(ru)
            en_lines += en
            ru_lines += ru
        en_pars.append("\n".join(en_lines))
        ru_pars.append("\n".join(ru_lines))
    slug = path.stem
    (HERE / f"{slug}.en.txt").write_text("\n\n".join(en_pars) + "\n", encoding="utf-8")
    (HERE / f"{slug}.ru.txt").write_text("\n\n".join(ru_pars) + "\n", encoding="utf-8")
    fmt = lambda xs: "[" + ", ".join(map(str, xs)) + "]"
    (HERE / f"{slug}.en-ru.beads").write_text(
        "".join(f"{fmt(e)}:{fmt(r)}\n" for e, r in beads), encoding="utf-8")
    print(f"{slug}: en={ei} ru={ri} beads={len(beads)} paragraphs={len(paras)}")


if __name__ == "__main__":
    for src in sorted((HERE / "src").glob("*.src")):
        build(src)
