"""ICU regular expressions, the dialect of SRX 2.0, rewritten for the `regex` module.

SRX rules are ICU regular expressions (and, in files written by Java tools such as OmegaT,
often Java ones, which are nearly the same). The `regex` module reads most of that syntax
as it is; this module rewrites what it reads differently or not at all, and rejects what
has no faithful rewrite, with a message that says which construct is at fault.

The output is meant for ``regex.V1``, whose nested sets, set operations (``&&``, ``--``)
and scoped inline flags behave like ICU's.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

_LINE_TERMINATORS = r"\n\x0b\f\r\x85\u2028\u2029"
_VERTICAL_SPACE = rf"[{_LINE_TERMINATORS}]"
# "." stops at line breaks (\n, \r, NEL, LS, PS) as in ICU and Java; Python's only at "\n".
_ICU_DOT = r"[^\n\r\x85\u2028\u2029]"
# ICU's \Z also matches before a line terminator that ends the input.
_ICU_END_BEFORE_TERMINATOR = r"(?=(?:\r\n|[\n\x0b\f\r\x85\u2028\u2029])?\Z)"
_PASS_ESCAPES = frozenset("aAbBdDfnrstwWSXhHR")
_ICU_FLAGS = frozenset("imswx")
# Java flags that only make Java behave as ICU does by default (Unicode case and classes).
_JAVA_NO_OP_FLAGS = frozenset("uU")
_QUANTIFIER = regex.compile(r"\{\d+(?:,\d*)?\}")
_OCTAL = regex.compile(r"[0-7]{1,3}")
_HEX_BRACED = regex.compile(r"\{([0-9A-Fa-f]{1,8})\}")
_HEX_PAIR = regex.compile(r"([0-9A-Fa-f]{2})")


class UnsupportedRegex(ValueError):
    """A construct that this engine cannot run with ICU's meaning."""


@dataclass(frozen=True)
class Translated:
    """A pattern for ``regex.V1`` and what the engine must know about it.

    ``groups`` counts its capturing groups. ``direction_sensitive`` is set when it holds a
    possessive quantifier, an atomic group or a back-reference: inside a look-behind, which
    `regex` matches right to left, those would change meaning, so such a pattern must be
    matched forwards.
    """

    pattern: str
    groups: int
    direction_sensitive: bool


def translate(pattern: str, group_offset: int = 0) -> Translated:
    """Rewrite ICU ``pattern`` for ``regex.V1``; back-references are shifted by ``group_offset``.

    Raises UnsupportedRegex for syntax that has no faithful rewrite.
    """
    return _Translator(pattern, group_offset).run()


class _Translator:
    def __init__(self, pattern: str, group_offset: int):
        self.src = pattern
        self.i = 0
        self.out: list[str] = []
        self.offset = group_offset
        self.groups = 0
        self.sensitive = False
        # Flag state per open group, so that (?s) and (?x) end with their group, as in ICU.
        self.flags: list[set[str]] = [set()]

    def run(self) -> Translated:
        while self.i < len(self.src):
            self._atom()
        if len(self.flags) != 1:
            raise UnsupportedRegex("a group is not closed: missing ')'")
        return Translated("".join(self.out), self.groups, self.sensitive)

    def _peek(self, length: int = 1) -> str:
        return self.src[self.i : self.i + length]

    def _atom(self) -> None:
        char = self.src[self.i]
        flags = self.flags[-1]
        if "x" in flags and char.isspace():
            self.i += 1
        elif "x" in flags and char == "#":
            end = self.src.find("\n", self.i)
            self.i = len(self.src) if end < 0 else end + 1
        elif char == "\\":
            self.out.append(self._escape(in_set=False))
        elif char == "[":
            self.out.append(self._set())
        elif char == "(":
            self._open_group()
        elif char == ")":
            if len(self.flags) == 1:
                raise UnsupportedRegex("')' without an opening '('")
            self.flags.pop()
            self.out.append(")")
            self.i += 1
            self._quantifier_suffix()
        elif char == ".":
            self.out.append("." if "s" in flags else _ICU_DOT)
            self.i += 1
            self._quantifier_suffix()
        elif char in "*+?":
            raise UnsupportedRegex(f"quantifier '{char}' has nothing to repeat")
        else:
            self.out.append(char)
            self.i += 1
            self._quantifier_suffix()

    def _quantifier_suffix(self) -> None:
        """Copy a quantifier after an atom, noting possessive ones."""
        while True:
            char = self._peek()
            if char in ("*", "+", "?"):
                length = 1
            elif char == "{" and (bound := _QUANTIFIER.match(self.src, self.i)):
                length = bound.end() - self.i
            else:
                return
            self.out.append(self.src[self.i : self.i + length])
            self.i += length
            mode = self._peek()
            if mode == "+":
                self.sensitive = True
                self.out.append("+")
                self.i += 1
            elif mode == "?":
                self.out.append("?")
                self.i += 1

    def _open_group(self) -> None:
        src, start = self.src, self.i
        inherited = set(self.flags[-1])
        if not src.startswith("(?", start):
            self.groups += 1
            self.flags.append(inherited)
            self.out.append("(")
            self.i += 1
            return
        rest = src[start + 2 : start + 4]
        if rest.startswith("#"):
            end = src.find(")", start)
            if end < 0:
                raise UnsupportedRegex("comment '(?#' is not closed")
            self.i = end + 1
            return
        for opener in (":", "=", "!", "<=", "<!", ">"):
            if rest.startswith(opener):
                if opener == ">":
                    self.sensitive = True
                self.flags.append(inherited)
                self.out.append("(?" + opener)
                self.i = start + 2 + len(opener)
                return
        named = regex.compile(r"\(\?P?<([A-Za-z][A-Za-z0-9]*)>").match(src, start)
        if named:
            # Names become numbers: the engine joins many rules into one pattern, where
            # the same name in two rules would otherwise refer to one group.
            self.groups += 1
            self.flags.append(inherited)
            self.out.append("(")
            self.i = named.end()
            return
        inline = regex.compile(r"\(\?([A-Za-z]*)(?:-([A-Za-z]*))?([:)])").match(src, start)
        if not inline:
            raise UnsupportedRegex(f"group construct '{src[start:start + 4]}' is not ICU syntax")
        on, off, closer = inline.group(1), inline.group(2) or "", inline.group(3)
        for flag in on + off:
            if flag not in _ICU_FLAGS | _JAVA_NO_OP_FLAGS:
                raise UnsupportedRegex(f"inline flag '{flag}' in '{inline.group(0)}' is not an ICU flag")
        on = "".join(f for f in on if f in _ICU_FLAGS)
        off = "".join(f for f in off if f in _ICU_FLAGS)
        target = inherited if closer == ":" else self.flags[-1]
        target.update(on)
        target.difference_update(off)
        # "x" is consumed here; the others go on to `regex`, which scopes them like ICU.
        on, off = on.replace("x", ""), off.replace("x", "")
        spec = on + (f"-{off}" if off else "")
        if closer == ":":
            self.flags.append(inherited)
            self.out.append(f"(?{spec}:")
        elif spec:
            self.out.append(f"(?{spec})")
        self.i = inline.end()

    def _escape(self, in_set: bool) -> str:
        """Translate the escape at ``self.i`` (a backslash) and move past it."""
        src = self.src
        if self.i + 1 >= len(src):
            raise UnsupportedRegex("pattern ends with a lone backslash")
        char = src[self.i + 1]
        self.i += 2
        if char == "Q":
            end = src.find(r"\E", self.i)
            literal = src[self.i :] if end < 0 else src[self.i : end]
            self.i = len(src) if end < 0 else end + 2
            text = "".join(_escape_char(c) for c in literal)
            if in_set:
                return text
            # As in ICU, a quantifier after "\E" repeats the last quoted character only.
            self._quantifier_suffix_into(text)
            return ""
        if char == "E":
            raise UnsupportedRegex(r"'\E' without a '\Q' before it")
        if char == "x":
            hexa = _HEX_BRACED.match(src, self.i) or _HEX_PAIR.match(src, self.i)
            if not hexa:
                raise UnsupportedRegex(r"'\x' needs two hex digits or {hex digits}")
            self.i = hexa.end()
            return self._literal(int(hexa.group(1), 16), in_set)
        if char == "0":
            octal = _OCTAL.match(src, self.i)
            value = 0
            if octal:
                value = int(octal.group(0), 8)
                self.i = octal.end()
            return self._literal(value, in_set)
        if char == "e":
            return self._literal(0x1B, in_set)
        if char == "c":
            if self.i >= len(src):
                raise UnsupportedRegex(r"'\c' needs a letter after it")
            self.i += 1
            return self._literal(ord(src[self.i - 1]) & 0x1F, in_set)
        if char == "v":
            return _LINE_TERMINATORS if in_set else self._with_quantifier(_VERTICAL_SPACE)
        if char == "V":
            if in_set:
                raise UnsupportedRegex(r"'\V' inside a set has no rewrite; use [^...] with \v")
            return self._with_quantifier(f"[^{_LINE_TERMINATORS}]")
        if char == "z":
            return r"\Z"
        if char == "Z":
            return _ICU_END_BEFORE_TERMINATOR
        if char == "G":
            raise UnsupportedRegex(r"'\G' (end of the previous match) means nothing in an SRX rule")
        if char in "pP":
            prop = regex.compile(r"\{[^}]*\}|[A-Za-z]").match(src, self.i)
            if not prop:
                raise UnsupportedRegex(rf"'\{char}' needs a property name")
            self.i = prop.end()
            return self._with_quantifier(f"\\{char}{prop.group(0)}", in_set)
        if char == "N" and self._peek() == "{":
            end = src.find("}", self.i)
            if end < 0:
                raise UnsupportedRegex(r"'\N{' is not closed")
            name = src[self.i - 2 : end + 1]
            self.i = end + 1
            return self._with_quantifier(name, in_set)
        if char == "k" and self._peek() == "<":
            raise UnsupportedRegex(r"named back-reference '\k<...>'; use a numbered one")
        if char in "0123456789":  # "²".isdigit() is True, and int("²") fails
            if in_set:
                raise UnsupportedRegex(rf"'\{char}' inside a set")
            digits = regex.compile(r"[0-9]*").match(src, self.i)
            assert digits is not None  # \d* matches everywhere
            self.i = digits.end()
            self.sensitive = True
            return self._with_quantifier(f"(?:\\g<{int(char + digits.group(0)) + self.offset}>)")
        if char in "uU":
            width = 4 if char == "u" else 8
            code = src[self.i : self.i + width]
            if len(code) != width or not all(c in "0123456789abcdefABCDEF" for c in code):
                raise UnsupportedRegex(rf"'\{char}' needs {width} hex digits")
            self.i += width
            return self._literal(int(code, 16), in_set)
        if char in _PASS_ESCAPES:
            return self._with_quantifier("\\" + char, in_set)
        if char.isascii() and char.isalnum():
            raise UnsupportedRegex(rf"unknown escape '\{char}'")
        # A backslash before any other character, a non-ASCII letter included, quotes it.
        return self._with_quantifier(_escape_char(char), in_set)

    def _literal(self, code: int, in_set: bool) -> str:
        return self._with_quantifier(f"\\U{code:08x}", in_set)

    def _with_quantifier(self, text: str, in_set: bool = False) -> str:
        if in_set:
            return text
        self._quantifier_suffix_into(text)
        return ""

    def _quantifier_suffix_into(self, text: str) -> None:
        self.out.append(text)
        self._quantifier_suffix()

    def _set(self) -> str:
        """Translate a set ``[...]``, nested sets and operators included."""
        src = self.src
        parts = ["["]
        self.i += 1
        depth = 1
        at_start = True
        while depth:
            if self.i >= len(src):
                raise UnsupportedRegex("a set '[' is not closed")
            char = src[self.i]
            if char == "\\":
                parts.append(self._escape(in_set=True))
                at_start = False
                continue
            if char == "^" and at_start:
                parts.append("^")
                self.i += 1
                continue
            if char == "[":
                posix = regex.compile(r"\[:\^?[a-z]+:\]").match(src, self.i)
                if posix:
                    parts.append(posix.group(0))
                    self.i = posix.end()
                    at_start = False
                    continue
                depth += 1
                parts.append("[")
                self.i += 1
                at_start = True
                continue
            if char == "]" and not at_start:
                depth -= 1
            elif char == "]":
                char = r"\]"
            parts.append(char)
            self.i += 1
            at_start = False
        self._quantifier_suffix_into("".join(parts))
        return ""


def _escape_char(char: str) -> str:
    """``char`` as a literal that means itself both inside and outside a set."""
    return char if not char.isascii() or char.isalnum() or char == "_" else "\\" + char


def last_characters(pattern: str) -> str | None:
    """An ICU set of every character that can end a match of ``pattern``, or None when that is not known.

    The segmenter looks for break positions after these characters only, which is much faster
    than trying a look-behind at every position. None (try everywhere) when the pattern can
    match the empty string, ends in "." or a back-reference, or uses flags or quoting that this
    small analysis does not follow.
    """
    try:
        ends, empty = _LastCharacters(pattern).alternation(top=True)
    except _Unknown:
        return None
    if empty or not ends:
        return None
    return "[" + "".join(ends) + "]"


class _Unknown(Exception):
    """The analysis cannot tell which characters end a match."""


_ZERO_WIDTH_ESCAPES = frozenset("bBAzZG")
_SET_ESCAPES = frozenset("dDsSwWhHvVtnrfaep")


class _LastCharacters:
    """A recursive reading of an ICU pattern for :func:`last_characters`: (set pieces, can be empty)."""

    def __init__(self, pattern: str):
        self.src = pattern
        self.i = 0

    def alternation(self, top: bool = False) -> tuple[list[str], bool]:
        ends, empty = self.sequence()
        while self.i < len(self.src) and self.src[self.i] == "|":
            self.i += 1
            more, more_empty = self.sequence()
            ends, empty = ends + more, empty or more_empty
        if top and self.i < len(self.src):
            raise _Unknown
        return ends, empty

    def sequence(self) -> tuple[list[str], bool]:
        items: list[tuple[list[str], bool]] = []
        while self.i < len(self.src) and self.src[self.i] not in "|)":
            items.append(self.quantified(self.atom()))
        ends: list[str] = []
        for item_ends, item_empty in reversed(items):
            ends += item_ends
            if not item_empty:
                return ends, False
        return ends, True

    def quantified(self, item: tuple[list[str], bool]) -> tuple[list[str], bool]:
        ends, empty = item
        src = self.src
        while self.i < len(src):
            char = src[self.i]
            if char in "*?":
                empty = True
                self.i += 1
            elif char == "+":
                self.i += 1
            elif char == "{" and (bound := _QUANTIFIER.match(src, self.i)):
                if bound.group(0)[1:].startswith("0"):
                    empty = True
                self.i = bound.end()
            else:
                break
            if self.i < len(src) and src[self.i] in "?+":  # lazy or possessive: the same characters
                self.i += 1
        return ends, empty

    def atom(self) -> tuple[list[str], bool]:
        src, char = self.src, self.src[self.i]
        if char == "(":
            return self.group()
        if char == "[":
            start = self.i
            self.skip_set()
            return [src[start : self.i]], False
        if char == "\\":
            if self.i + 1 >= len(src):
                raise _Unknown
            escape = src[self.i + 1]
            if escape in _ZERO_WIDTH_ESCAPES:
                self.i += 2
                return [], True
            if escape in "pPN" or (escape == "x" and src.startswith("{", self.i + 2)):
                start = self.i
                if src.startswith("{", self.i + 2):
                    close = src.find("}", self.i)
                    if close < 0:
                        raise _Unknown
                    self.i = close + 1
                elif escape in "pP" and self.i + 2 < len(src):  # a one-letter property: \pL
                    self.i += 3
                else:
                    raise _Unknown
                return [src[start : self.i]], False
            if escape == "u" and _HEX4.match(src, self.i + 2):
                self.i += 6
                return [src[self.i - 6 : self.i]], False
            if escape == "x" and _HEX_PAIR.match(src, self.i + 2):
                self.i += 4
                return [src[self.i - 4 : self.i]], False
            if escape in _SET_ESCAPES or not (escape.isascii() and escape.isalnum()):
                self.i += 2
                return [src[self.i - 2 : self.i]], False
            raise _Unknown  # back-references, \Q…\E, \c, \0…: not followed here
        if char in "^$":
            self.i += 1
            return [], True
        if char == ".":
            raise _Unknown
        self.i += 1
        return [_set_literal(char)], False

    def group(self) -> tuple[list[str], bool]:
        src = self.src
        self.i += 1
        zero_width = False
        if src.startswith("?", self.i):
            for opener in (":", "=", "!", "<=", "<!", ">"):
                if src.startswith(opener, self.i + 1):
                    zero_width = opener in ("=", "!", "<=", "<!")
                    self.i += 1 + len(opener)
                    break
            else:
                named = regex.compile(r"\?P?<[A-Za-z][A-Za-z0-9]*>").match(src, self.i)
                if not named:
                    raise _Unknown  # inline flags change what the characters mean
                self.i = named.end()
        ends, empty = self.alternation()
        if self.i >= len(src) or src[self.i] != ")":
            raise _Unknown
        self.i += 1
        return ([], True) if zero_width else (ends, empty)

    def skip_set(self) -> None:
        src = self.src
        self.i += 1
        depth = 1
        if src.startswith("^", self.i):
            self.i += 1
        if src.startswith("]", self.i):
            self.i += 1
        while depth:
            if self.i >= len(src):
                raise _Unknown
            char = src[self.i]
            if char == "\\":
                if src.startswith("Q", self.i + 1):
                    raise _Unknown
                self.i += 2
                continue
            if char == "[":
                depth += 1
            elif char == "]":
                depth -= 1
            self.i += 1


_HEX4 = regex.compile(r"[0-9A-Fa-f]{4}")


def _set_literal(char: str) -> str:
    """``char`` as a member of an ICU set."""
    return "\\" + char if char in "[]\\^-&{}$" else char


_MAX_REQUIRED = 512


def required_characters(pattern: str) -> frozenset[str] | None:
    """Characters of which every match of ``pattern`` contains at least one, when easy to tell.

    The first part of the pattern that must match at least once and is a literal character or a
    set of literal characters and ranges (``[。！？]``, ``\\x{3002}``) gives them. The segmenter
    leaves a rule out of its search in a paragraph without any of them. None when no such part
    is found (an alternation at the top, classes such as ``\\p{L}``, flags, quoting).
    """
    try:
        whole = _LastCharacters(pattern)
        whole.sequence()
        if whole.i < len(pattern):
            return None  # an alternation at the top: no part is required
    except _Unknown:
        return None
    reader = _LastCharacters(pattern)
    try:
        while reader.i < len(pattern):
            char = pattern[reader.i]
            if char in "|)":
                return None
            start = reader.i
            atom_ends, atom_empty = reader.atom()
            end_of_atom = reader.i
            _, empty = reader.quantified((atom_ends, atom_empty))
            if empty or pattern[start] in "(":
                continue
            characters = _literal_characters(pattern[start:end_of_atom])
            if characters is not None:
                return characters
    except _Unknown:
        return None
    return None


def _literal_characters(atom: str) -> frozenset[str] | None:
    """The characters of an atom that is a literal or a set of literals and ranges; None otherwise."""
    try:
        translated = translate(atom).pattern
    except UnsupportedRegex:
        return None
    if not translated.startswith("["):
        translated = f"[{translated}]"
    body = translated[1:-1]
    if body.startswith("^") or "\\p" in body or "\\P" in body or "[" in body:
        return None
    members: set[str] = set()
    i = 0
    while i < len(body):
        char, i = _set_member(body, i)
        if char is None:
            return None
        if body.startswith("-", i) and i + 1 < len(body):
            last, i = _set_member(body, i + 1)
            if last is None or ord(last) - ord(char) > _MAX_REQUIRED:
                return None
            members.update(chr(code) for code in range(ord(char), ord(last) + 1))
        else:
            members.add(char)
        if len(members) > _MAX_REQUIRED:
            return None
    return frozenset(members) or None


def _set_member(body: str, i: int) -> tuple[str | None, int]:
    """One literal member of a translated set at ``i``: (character, next index), or (None, i) for a class."""
    if body[i] != "\\":
        return body[i], i + 1
    if body.startswith("\\U", i) and len(body) >= i + 10:
        return chr(int(body[i + 2 : i + 10], 16)), i + 10
    escaped = body[i + 1 : i + 2]
    if escaped and not (escaped.isascii() and escaped.isalnum()):
        return escaped, i + 2
    return None, i
