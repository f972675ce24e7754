"""Writing XML through a real serializer (ElementTree), never by pasting strings.

ElementTree escapes ``&``, ``<``, ``>`` and quotes, but it would copy characters that XML
1.0 forbids (most control characters) into the output and make a document no reader
accepts; :func:`to_bytes` refuses those instead.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from wizard.export.base import ExportError
from wizard.i18n import _

# Characters outside the XML 1.0 Char production.
_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def sub(parent: ET.Element, tag: str, text: str | int | None = None,
        **attrs: str) -> ET.Element:
    """Append a child element with optional text and attributes."""
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = str(text)
    return element


def _check(root: ET.Element) -> None:
    for element in root.iter():
        values = [element.text or "", element.tail or "", *element.attrib.values()]
        if any(_ILLEGAL_RE.search(v) for v in values):
            raise ExportError(_("A value contains characters that XML cannot hold."))


def to_bytes(root: ET.Element, *, default_namespace: str | None = None) -> bytes:
    """The document as indented UTF-8 with an XML declaration."""
    _check(root)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", default_namespace=default_namespace)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")
