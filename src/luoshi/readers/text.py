"""Plain text and Markdown: decode the bytes and keep the file's own line numbers.

The grammar reports line numbers to people who open the file in an editor, so line *n* here is
line *n* of the file: every physical line is a :class:`~luoshi.model.Line`, blank ones included,
split on ``\\r\\n``, ``\\r`` or ``\\n`` only (not on form feeds or U+2028, which editors do not
count). Trailing whitespace is dropped; leading indentation stays (the 2020 web-page text indents
its task lines with spaces).

Decoding, in order: a BOM (UTF-8, UTF-16, UTF-32); strict UTF-8; UTF-16 without BOM when the NUL
bytes say so; strict GB18030 when the characters are plausible Chinese (most of them in the
common GB2312 set); strict Big5 (Traditional Chinese files from Taiwan or Hong Kong);
charset-normalizer's best guess for anything else.
"""

from __future__ import annotations

import hashlib
import re

from luoshi.errors import ReadError
from luoshi.model import Line, Source

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 before UTF-16: the UTF-32-LE BOM begins with the UTF-16-LE one.
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32 (little-endian)"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32 (big-endian)"),
    (b"\xef\xbb\xbf", "utf-8-sig", "UTF-8 with byte order mark"),
    (b"\xff\xfe", "utf-16-le", "UTF-16 (little-endian)"),
    (b"\xfe\xff", "utf-16-be", "UTF-16 (big-endian)"),
)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_MARKDOWN_HEADING = re.compile(r"^#{1,6} \S", re.MULTILINE)
# Control characters a text document may carry: tab, line breaks, form feed (page breaks in
# some exports), vertical tab, and ^Z (the end-of-file mark old DOS editors appended).
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v\x1a")
# the Unicode Cc characters (C0, DEL, C1) less the allowed ones above; NUL is refused earlier
_CONTROL_RE = re.compile("[\x01-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f]")
# Share of the non-ASCII characters of a GB18030 decoding that must lie in GB2312 (the 6,763
# common characters) to believe it: real Chinese text is well above 0.95, Big5 or Latin-1
# bytes read as GB18030 land mostly in the rare GBK extension and fall far below.
_GB_PLAUSIBLE = 0.8


def decode_text(data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """Decode a text file: ``(text, encoding, notes)``.

    ``"责任单位".encode("gb18030")`` → ``("责任单位", "gb18030", ("decoded as GB18030",))``;
    UTF-8 with BOM → encoding ``"utf-8-sig"``, the BOM removed. Raises ReadError (without a path)
    for NUL bytes or many control characters ("binary file, not a document") and for bytes no
    candidate decodes ("cannot decode text: not UTF-8, UTF-16 or GB18030").
    """
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec.removesuffix("-sig"))
            except UnicodeDecodeError:
                raise ReadError(f"cannot decode text: invalid {label} after its BOM") from None
            _reject_binary(text)
            return text, codec, (f"decoded as {label}",)

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        _reject_binary(text)
        return text, "utf-8", ()

    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        text, codec, label = utf16
        _reject_binary(text)
        return text, codec, (f"decoded as {label.removesuffix(')')}, no byte order mark)",)

    if b"\x00" in data:
        raise ReadError("binary file, not a document")

    damaged = _nearly_utf8(data)
    if damaged is not None:
        text, bad = damaged
        _reject_binary(text)
        return text, "utf-8", (f"decoded as UTF-8; {bad} damaged byte sequence(s) replaced by �",)

    gb = _strict(data, "gb18030")
    if gb is not None and _gb2312_share(gb) >= _GB_PLAUSIBLE:
        _reject_binary(gb)
        return gb, "gb18030", ("decoded as GB18030",)

    big5 = _strict(data, "big5")
    if big5 is not None and _cjk_share(big5) >= 0.9:
        _reject_binary(big5)
        return big5, "big5", ("decoded as Big5",)

    guess = _charset_normalizer_guess(data)
    if guess is not None:
        text, codec = guess
        _reject_binary(text)
        return text, codec, (f"decoded as {codec} (detected)",)

    if gb is not None:
        # Valid GB18030 but unusual characters: still the likeliest reading of Chinese bytes.
        _reject_binary(gb)
        return gb, "gb18030", ("decoded as GB18030 (many rare characters)",)
    raise ReadError("cannot decode text: not UTF-8, UTF-16 or GB18030")


def split_lines(text: str) -> list[str]:
    """The physical lines of ``text``, trailing whitespace removed, as an editor numbers them.

    ``"a\\r\\n\\n  b  \\n"`` → ``["a", "", "  b"]`` (a final line break ends the last line; it
    does not start an empty one).
    """
    parts = _LINE_BREAK.split(text)
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()
    return [p.rstrip() for p in parts]


def is_markdown(text: str, name: str) -> bool:
    """True for a ``.md``/``.markdown`` name or text with ATX headings (``# 一、…``)."""
    return name.lower().endswith((".md", ".markdown")) or bool(_MARKDOWN_HEADING.search(text))


def read_text(data: bytes, name: str) -> Source:
    """Read a plain-text or Markdown file into a Source, one Line per physical line.

    ``media_type`` is ``text/markdown`` for Markdown (see :func:`is_markdown`), else
    ``text/plain``. A file of blank lines only raises ReadError("no text: …").
    """
    try:
        text, encoding, notes = decode_text(data)
    except ReadError as error:
        raise error.with_path(name) from None
    # A second BOM (a file saved twice by different tools) would otherwise glue to line 1.
    text = text.removeprefix("\ufeff")
    lines = tuple(Line(i, s) for i, s in enumerate(split_lines(text), start=1))
    if not any(line.text.strip() for line in lines):
        raise ReadError("no text: the file holds only blank lines", name)
    media_type = "text/markdown" if is_markdown(text, name) else "text/plain"
    return Source(
        path=name,
        sha256=hashlib.sha256(data).hexdigest(),
        media_type=media_type,
        lines=lines,
        encoding=encoding,
        notes=notes,
    )


def _reject_binary(text: str) -> None:
    """Raise ReadError when decoded ``text`` is really binary data.

    Any NUL, or control characters (other than tab, line breaks, form feed) making up more than
    1% of the text: no document is written like that, an image or archive always is.
    """
    if "\x00" in text:
        raise ReadError("binary file, not a document")
    sample = text[:65536]
    controls = len(_CONTROL_RE.findall(sample))
    if controls > max(2, len(sample) // 100):
        raise ReadError("binary file, not a document")


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _nearly_utf8(data: bytes) -> tuple[str, int] | None:
    """UTF-8 with a few broken sequences (two files pasted together, a cut download):
    ``(text with U+FFFD for each, count)``, or None when it is not UTF-8 at all.

    Chinese UTF-8 bytes also pair up as valid GB18030, so without this check one bad byte
    would turn a whole UTF-8 notice into GB18030 mojibake.
    """
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    multibyte = sum(1 for b in data if b >= 0xC0)  # lead bytes of real UTF-8 sequences
    if 0 < bad <= max(3, multibyte // 1000) and multibyte >= 20 * bad:
        return text, bad
    return None


def _utf16_without_bom(data: bytes) -> tuple[str, str, str] | None:
    """UTF-16 text saved without a BOM: ASCII characters (line breaks at least) put their NUL
    byte always on the same side. Returns ``(text, codec, label)`` or None."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    if odd_nuls and not even_nuls:
        codec, label = "utf-16-le", "UTF-16 (little-endian)"
    elif even_nuls and not odd_nuls:
        codec, label = "utf-16-be", "UTF-16 (big-endian)"
    else:
        return None
    text = _strict(data, codec)
    if text is None or ("\n" not in text and "\r" not in text):
        # A single line with NULs on one side is as likely binary; insist on a line break.
        return None
    return text, codec, label


def _gb2312_share(text: str) -> float:
    """Share of the non-ASCII characters of ``text`` that GB2312 (common Chinese) can encode."""
    counts: dict[str, int] = {}
    for ch in text:
        if ord(ch) > 0x7F:
            counts[ch] = counts.get(ch, 0) + 1
    total = sum(counts.values())
    if not total:
        return 1.0
    common = 0
    for ch, n in counts.items():
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += n
    return common / total


def _cjk_share(text: str) -> float:
    """Share of the non-ASCII characters of ``text`` that are CJK ideographs or punctuation."""
    wide = [ch for ch in text if ord(ch) > 0x7F]
    if not wide:
        return 1.0
    cjk = sum(
        1
        for ch in wide
        if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
    )
    return cjk / len(wide)


def _charset_normalizer_guess(data: bytes) -> tuple[str, str] | None:
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None or not best.encoding:
            return None
        return str(best), best.encoding
    except Exception:  # the detector failing is "no guess", never a crash
        return None
