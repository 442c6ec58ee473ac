"""Whether a PDF carries active content a reader could run or follow by itself: JavaScript
(an action, a ``/JS`` entry anywhere, the document's JavaScript name tree, an XFA form), actions
that start a program or send data (``/Launch``, ``/SubmitForm``, ``/ImportData``, media and
rich media), an automatic action (``/OpenAction`` or an ``/AA`` trigger) that does anything but
show a page of the document, and embedded files (attachments, ``/EmbeddedFiles``).

Such a PDF is refused, not rewritten: rewriting would change the bytes the uploader signed or
hashed, and a form's scripts removed silently would change what it does. The walk follows the
document from its catalog the way a reader does (pages, annotations, form fields, outlines, name
trees, action chains), reading dictionaries only: page contents, resources, appearance streams
and structure trees hold no actions and are not read, so a 50 MB scan costs little memory.
"""

from __future__ import annotations

from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

# Entries never followed: back-links, and what a reader draws but never runs actions from.
SKIP = frozenset(
    {
        "/Parent",
        "/P",
        "/Resources",
        "/Contents",
        "/AP",
        "/Thumb",
        "/Metadata",
        "/StructTreeRoot",
        "/StructParent",
        "/StructParents",
        "/PieceInfo",
        "/Font",
        "/Dest",
        "/D",
    }
)
# Action types refused wherever they are, and why.
ACTIONS = {
    "/JavaScript": "javascript",
    "/RichMediaExecute": "javascript",
    "/Launch": "action",
    "/SubmitForm": "action",
    "/ImportData": "action",
    "/Rendition": "action",
    "/Movie": "action",
    "/Sound": "action",
    "/GoToE": "embedded",
}
# What an automatic action may do: show a page of this document.
AUTOMATIC_ALLOWED = frozenset({"/GoTo"})
# Dictionaries read at most: more is refused as too complex to check.
MAX_NODES = 200_000

NORMAL, AUTOMATIC, TRIGGERS = 0, 1, 2


def _judge(node: DictionaryObject, kind: int) -> str | None:
    if "/JS" in node or "/JavaScript" in node or "/XFA" in node:
        return "javascript"
    if "/EmbeddedFiles" in node or "/EF" in node:
        return "embedded"
    if node.get("/Type") == "/EmbeddedFile" or node.get("/Subtype") == "/FileAttachment":
        return "embedded"
    if node.get("/Subtype") in ("/RichMedia", "/Movie", "/Sound", "/Screen"):
        return "action"
    action = node.get("/S")
    if action in ACTIONS:
        return ACTIONS[action]
    if kind == AUTOMATIC and action is not None and action not in AUTOMATIC_ALLOWED:
        return "action"
    return None


def _children(node: DictionaryObject, kind: int):
    for key, value in node.items():
        if key in SKIP:
            continue
        if kind == TRIGGERS or key == "/OpenAction":
            yield value, AUTOMATIC
        elif key == "/AA":
            yield value, TRIGGERS
        elif kind == AUTOMATIC and key == "/Next":
            yield value, AUTOMATIC
        else:
            yield value, NORMAL


def pdf_active_content(reader) -> str | None:
    """The first kind of active content found in the PDF open in ``reader`` (``javascript``,
    ``action``, ``embedded``, or ``complex`` when it has too many dictionaries to check), or
    None. May raise what pypdf raises on a damaged file."""
    stack = [(reader.trailer.get("/Root"), NORMAL)]
    seen: set[tuple[int, int]] = set()
    nodes = 0
    while stack:
        node, kind = stack.pop()
        if isinstance(node, IndirectObject):
            if (node.idnum, node.generation) in seen:
                continue
            seen.add((node.idnum, node.generation))
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            nodes += 1
            if nodes > MAX_NODES:
                return "complex"
            found = _judge(node, kind)
            if found:
                return found
            stack.extend(_children(node, kind))
        elif isinstance(node, ArrayObject):
            stack.extend((item, kind) for item in node)
    return None
