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
        if char.isdigit():
            if in_set:
                raise UnsupportedRegex(rf"'\{char}' inside a set")
            digits = regex.compile(r"\d*").match(src, self.i)
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
