"""The font of each cell the reader took, when it is one of the old Vietnamese fonts (.VnTime, VNI-Times…).

Why: calamine gives values, not styles, and the font is the surest sign that a cell's bytes are
TCVN3 or VNI text (``app.legacy_text``). For an .xlsx the font is the cell's style (``s="…"`` on
``<c>``) → ``cellXfs`` → ``fonts`` in ``xl/styles.xml``; a cell without ``s`` takes style 0,
the workbook's Normal font, which is exactly how old workbooks made in .VnTime look. The parts
are read through the package layer's bounded inflater and defusedxml parser: the file already
passed ``open_package``, so every member is known to be honest. When ``styles.xml`` names no
old font and the shared strings (scanned as bytes) name none in their runs — nearly every file —
nothing else is parsed. A font applied to the text of a cell rather than to the cell is kept in
the runs of its shared (or inline) rich string, and counts first. Other formats (.xls, .xlsb, .ods) give no
fonts here; their text is judged by its characters alone.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from app.legacy_text import is_legacy_font

from .package import (
    DEFAULT_LIMITS,
    Package,
    Unusable,
    _attribute,
    _central_directory,
    _Index,
    _inflate,
    _Member,
    _RelsIndex,
    _sheet_paths,
    _WorkbookIndex,
    _XmlWatch,
)


def _local(tag: str) -> str:
    return tag[tag.rfind("}") + 1 :]


class _Styles(_Index):
    """Font names of ``<fonts>`` and the font of each ``<cellXfs>`` style, in order."""

    wants_end = True

    def __init__(self) -> None:
        self.fonts: list[str] = []
        self.xf_fonts: list[int] = []
        self._in: str = ""  # "fonts" | "cellXfs" | ""
        self._font = False

    def start(self, tag: str, attributes: list[str]) -> None:
        local = _local(tag)
        if local in ("fonts", "cellXfs"):
            self._in = local
        elif self._in == "fonts" and local == "font":
            self.fonts.append("")
            self._font = True
        elif self._in == "fonts" and self._font and local == "name":
            self.fonts[-1] = _attribute(attributes, "val") or ""
        elif self._in == "cellXfs" and local == "xf":
            font = _attribute(attributes, "fontId") or "0"
            self.xf_fonts.append(int(font) if font.isdigit() and len(font) < 9 else 0)

    def end(self, tag: str) -> None:
        local = _local(tag)
        if local in ("fonts", "cellXfs"):
            self._in = ""
        elif local == "font":
            self._font = False


class _RichStrings(_Index):
    """Shared strings whose runs are set in an old font (``<r><rPr><rFont val=".VnTime"/>``): index → font.

    A cell typed with a font applied to its text rather than to the cell keeps the font in the runs.
    """

    def __init__(self) -> None:
        self.fonts: dict[int, str] = {}
        self._index = -1

    def start(self, tag: str, attributes: list[str]) -> None:
        local = _local(tag)
        if local == "si":
            self._index += 1
        elif local == "rFont" and self._index not in self.fonts:
            font = _attribute(attributes, "val") or ""
            if is_legacy_font(font):
                self.fonts[self._index] = font


class _CellStyles(_Index):
    """The style index (``s``) of the wanted cells of one worksheet, the shared string each holds, and
    the old font of an inline rich string's runs."""

    wants_end = True

    def __init__(self, wanted: Collection[str]) -> None:
        self.wanted = wanted
        self.styles: dict[str, int] = {}
        self.shared: dict[str, int] = {}
        self.inline: dict[str, str] = {}
        self._cell = ""  # the wanted cell being read
        self._shared = False
        self._in_v = False
        self._text = ""

    def start(self, tag: str, attributes: list[str]) -> None:
        local = _local(tag)
        if local == "c":
            ref = _attribute(attributes, "r") or ""
            self._cell = ref if ref in self.wanted else ""
            if self._cell:
                s = _attribute(attributes, "s") or "0"
                self.styles[ref] = int(s) if s.isdigit() and len(s) < 9 else 0
                self._shared = _attribute(attributes, "t") == "s"
        elif self._cell and local == "v" and self._shared:
            self._in_v, self._text = True, ""
        elif self._cell and local == "rFont" and self._cell not in self.inline:
            font = _attribute(attributes, "val") or ""
            if is_legacy_font(font):
                self.inline[self._cell] = font

    def data(self, text: str) -> None:
        if self._in_v:
            self._text += text

    def end(self, tag: str) -> None:
        local = _local(tag)
        if local == "v" and self._in_v:
            self._in_v = False
            if self._text.strip().isdigit() and len(self._text.strip()) < 9:
                self.shared[self._cell] = int(self._text.strip())
        elif local == "c":
            self._cell = ""


def _parse(data: memoryview, member: _Member | None, index: _Index, file: str) -> None:
    if member is None:
        return
    watch = _XmlWatch(index, member.name, file)
    for chunk in _inflate(data, member, file):
        watch.feed(chunk, chunk)
    watch.close()


_OLD_FONT = re.compile(rb'val\s*=\s*["\'](?:\.vn|vni)', re.IGNORECASE)


def _mentions_old_font(view: memoryview, member: _Member, file: str) -> bool:
    """Whether a part names an old font at all (``<name val=".VnTime"/>``, ``<rFont val="VNI-Times"/>``):
    a byte scan, so that the part is parsed only when it does."""
    tail = b""
    for chunk in _inflate(view, member, file):
        if _OLD_FONT.search(tail + chunk):
            return True
        tail = chunk[-64:]
    return False


def legacy_fonts(package: Package, wanted: Mapping[str, Collection[str]]) -> dict[tuple[str, str], str]:
    """(sheet, "D12") → font name, for the ``wanted`` cells (sheet → refs) set in an old Vietnamese font."""
    if package.kind != "xlsx" or not wanted:
        return {}
    try:
        view = memoryview(package.data)
        members = {m.name: m for m in _central_directory(package.data, package.file, DEFAULT_LIMITS)}
        styles = _Styles()
        style_part = members.get("xl/styles.xml")
        if style_part is not None and _mentions_old_font(view, style_part, package.file):
            _parse(view, style_part, styles, package.file)
        legacy = {i: styles.fonts[f] for i, f in enumerate(styles.xf_fonts)
                  if f < len(styles.fonts) and is_legacy_font(styles.fonts[f])}  # fmt: skip
        rich = _RichStrings()
        strings = next((m for name, m in members.items() if name.lower() == "xl/sharedstrings.xml"), None)
        if strings is not None and _mentions_old_font(view, strings, package.file):
            _parse(view, strings, rich, package.file)
        if not legacy and not rich.fonts:
            return {}
        index, rels = _WorkbookIndex(), _RelsIndex()
        _parse(view, members.get("xl/workbook.xml"), index, package.file)
        _parse(view, members.get("xl/_rels/workbook.xml.rels"), rels, package.file)
        out: dict[tuple[str, str], str] = {}
        for sheet, part in _sheet_paths(index, rels, set(members), package.file):
            refs = wanted.get(sheet)
            if not refs:
                continue
            cells = _CellStyles(frozenset(refs))
            _parse(view, members.get(part), cells, package.file)
            for ref in refs:
                shared = cells.shared.get(ref)
                font = (cells.inline.get(ref) or (rich.fonts.get(shared) if shared is not None else None)
                        or legacy.get(cells.styles.get(ref, -1)))  # fmt: skip
                if font:
                    out[(sheet, ref)] = font
        return out
    except Unusable:  # cannot happen for a Package that was opened; the characters still decide
        return {}


__all__ = ["legacy_fonts"]
