"""A minimal PDF reader for the tests of ``report.pdf`` (no PDF library is a test dependency).

It reads what Chromium's PDF backend (Skia) writes: plain ``N 0 obj ... endobj`` objects (no
object streams, no cross-reference streams), Flate-compressed content streams, Type0 fonts with
a ``/ToUnicode`` CMap and text shown as hex glyph strings (``<0012...> Tj`` and ``TJ`` arrays).
Enough to count pages, extract each page's text and list the link annotations.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

_OBJ = re.compile(rb"(\d+) 0 obj\b(.*?)\bendobj", re.S)
_REF = rb"(\d+) 0 R"


@dataclass
class PdfPage:
    text: str
    links: list[dict[str, str]] = field(default_factory=list)  # {"uri": ...} or {"dest": ...}


@dataclass
class Pdf:
    pages: list[PdfPage]
    title: str | None

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.pages)

    @property
    def links(self) -> list[dict[str, str]]:
        return [link for p in self.pages for link in p.links]


def _stream(body: bytes) -> bytes | None:
    start = re.search(rb"stream\r?\n", body)
    if start is None:
        return None
    length = re.search(rb"/Length (\d+)\b(?!\s+\d+\s+R)", body[: start.start()])
    if length is not None:  # the data's own length: its last byte may be a CR or LF
        raw = body[start.end() : start.end() + int(length.group(1))]
    else:  # an indirect length: the data ends at the end-of-line before "endstream"
        raw = body[start.end() : body.rfind(b"endstream")].removesuffix(b"\n").removesuffix(b"\r")
    if b"/FlateDecode" in body[: start.start()]:
        return zlib.decompress(raw)
    return raw


def _cmap(data: bytes) -> dict[int, str]:
    """A ToUnicode CMap's glyph -> text (bfchar and bfrange entries)."""
    out: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first = int.from_bytes(bytes.fromhex(dst.decode()), "big")
            for i, glyph in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[glyph] = chr(first + i)
    return out


_TOKENS = re.compile(rb"/([A-Za-z0-9_.+-]+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>|\b(Tj|TJ|ET)\b")


def _text(content: bytes, fonts: dict[bytes, dict[int, str]]) -> str:
    """The text a content stream shows: each text object (``BT .. ET``) one piece, separated by spaces."""
    pieces: list[str] = []
    font: dict[int, str] = {}
    current = ""
    for m in _TOKENS.finditer(content):
        if m.group(1) is not None:
            font = fonts.get(m.group(1), {})
        elif m.group(2) is not None:
            hexes = m.group(2).decode()
            current += "".join(font.get(int(hexes[i : i + 4], 16), "") for i in range(0, len(hexes) - 3, 4))
        elif m.group(3) == b"ET" and current:  # a text object's glyphs are one run (one Tj each)
            pieces.append(current)
            current = ""
    return " ".join(" ".join(pieces).split())


def _literal(value: bytes) -> str:
    return re.sub(rb"\\(.)", rb"\1", value).decode("latin-1")


def read_pdf(path: str | Path) -> Pdf:
    """Pages (in document order), their text and link annotations, and the document's title."""
    data = Path(path).read_bytes()
    objects = {int(n): body for n, body in _OBJ.findall(data)}
    cmaps: dict[int, dict[int, str]] = {}

    def font_map(number: int) -> dict[int, str]:
        if number not in cmaps:
            ref = re.search(rb"/ToUnicode " + _REF, objects[number])
            stream = _stream(objects[int(ref.group(1))]) if ref else None
            cmaps[number] = _cmap(stream) if stream else {}
        return cmaps[number]

    root = re.search(rb"/Root " + _REF, data)
    catalog = objects[int(root.group(1))] if root else b""
    tree = re.search(rb"/Pages " + _REF, catalog)

    def kids(number: int) -> list[int]:
        body = objects[number]
        if re.search(rb"/Type\s*/Page\b(?!s)", body):
            return [number]
        listed = re.search(rb"/Kids\s*\[(.*?)\]", body, re.S)
        return [p for k in re.findall(_REF, listed.group(1)) for p in kids(int(k))] if listed else []

    pages = []
    for number in kids(int(tree.group(1))) if tree else []:
        body = objects[number]
        fonts_block = re.search(rb"/Font\s*<<(.*?)>>", body, re.S)
        fonts = {}
        if fonts_block:
            fonts = {
                name: font_map(int(ref))
                for name, ref in re.findall(rb"/(\S+?) " + _REF, fonts_block.group(1))
            }
        contents = re.search(rb"/Contents\s*(\[.*?\]|" + _REF + rb")", body, re.S)
        refs = [int(r) for r in re.findall(_REF, contents.group(1))] if contents else []
        text = " ".join(_text(_stream(objects[r]) or b"", fonts) for r in refs)
        links = []
        annots = re.search(rb"/Annots\s*\[(.*?)\]", body, re.S)
        for ref in re.findall(_REF, annots.group(1)) if annots else []:
            annot = objects[int(ref)]
            if b"/Link" not in annot:
                continue
            uri = re.search(rb"/URI \((.*?)\)>>", annot, re.S)
            dest = re.search(rb"/Dest\s*/(\S+?)[\s>]", annot) or re.search(rb"/Dest\s*\[", annot)
            if uri:
                links.append({"uri": _literal(uri.group(1))})
            elif dest:
                links.append({"dest": dest.group(1).decode("latin-1") if dest.groups() else "[explicit]"})
        pages.append(PdfPage(" ".join(text.split()), links))
    return Pdf(pages, _title(data))


def _title(data: bytes) -> str | None:
    """The document information's ``/Title`` (a literal string, or UTF-16 hex with a BOM)."""
    info = re.search(rb"/Info " + _REF, data)
    body = re.search(rb"\b" + info.group(1) + rb" 0 obj\b(.*?)\bendobj", data, re.S) if info else None
    if body is None:
        body = re.search(rb"<<\s*/Title.*?>>", data, re.S)
    if body is None:
        return None
    hexed = re.search(rb"/Title\s*<([0-9A-Fa-f]+)>", body.group(0))
    if hexed:
        return bytes.fromhex(hexed.group(1).decode()).decode("utf-16")
    literal = re.search(rb"/Title\s*\(((?:\\.|[^\\)])*)\)", body.group(0), re.S)
    return _literal(literal.group(1)) if literal else None
