"""One pass over a parsed page, then class, id and meta lookups without XPath.

lxml evaluates a CSS class test (``contains(concat(' ', normalize-space(@class), ' '),
' x ')``) on every element of the page, at about half a microsecond each: on a MetInfo
article page each such query costs more than a quarter of the HTML parse itself, and an
extraction needs a dozen.  :class:`DocIndex` walks the page once, keeping the elements that
carry a class or an id by name and the ``<meta>`` and ``<base>`` elements of the head;
:func:`select_css` then answers the plain selectors the families use (a descendant chain
of compounds such as ``section.details-title h1`` or ``#shownews div.editor``) by looking up
the rarest name and checking ancestors; :meth:`DocIndex.with_class_containing` answers
``[class*=part]``.  Anything else (``>``, pseudo-classes, attribute values) runs as compiled
XPath.

The index is kept for the last few pages read (a page is read from start to end before the
next).  Extraction never edits the page tree (it edits copies), so the index stays true.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree
from parsel.csstranslator import css2xpath

# One compound of a selector: ``tag``, ``.class``, ``#id`` and ``[attribute]`` (presence
# only), in any mix; a class or id with CSS escapes is left to XPath.
_COMPOUND_RE = re.compile(
    r"^(?P<tag>[a-zA-Z][a-zA-Z0-9]*|\*)?(?P<rest>(?:[.#][-\w]+|\[[-\w]+\])*)$"
)
_PART_RE = re.compile(r"([.#])([-\w]+)|\[([-\w]+)\]")


@dataclass(frozen=True)
class Compound:
    """One step of a descendant chain: the tag (None for any), the class names the element
    must all have, its id (or None) and the attributes it must carry."""

    tag: str | None
    classes: frozenset[str]
    id: str | None
    attrs: tuple[str, ...]

    def matches(self, el: etree._Element) -> bool:
        """True when ``el`` is this compound's tag and has its classes, id and attributes."""
        if self.tag is not None and el.tag != self.tag:
            return False
        if self.id is not None and el.get("id") != self.id:
            return False
        if self.classes:
            names = (el.get("class") or "").split()
            for name in self.classes:
                if name not in names:
                    return False
        if self.attrs:
            for name in self.attrs:
                if el.get(name) is None:
                    return False
        return True


# A comma-separated group is a chain of compounds joined by descendant combinators,
# outermost first.
Chain = tuple[Compound, ...]


@lru_cache(maxsize=512)
def parse_css(css: str) -> tuple[Chain, ...] | None:
    """``css`` as descendant chains, or None when it uses anything else (then XPath runs).

    ``"section.a h1, #b .c"`` -> two chains; ``"ul > li"``, ``"a:first-child"``,
    ``"[class*='x']"`` and escaped names -> None.
    """
    chains = []
    for group in css.split(","):
        steps = group.split()
        if not steps:
            return None
        chain = []
        for step in steps:
            m = _COMPOUND_RE.match(step)
            if m is None:
                return None
            classes: set[str] = set()
            ident = None
            attrs = []
            for kind, name, attr in _PART_RE.findall(m.group("rest")):
                if attr:
                    attrs.append(attr)
                elif kind == ".":
                    classes.add(name)
                elif ident is None or ident == name:
                    ident = name
                else:
                    return None  # two ids: matches nothing; XPath says so
            tag = m.group("tag")
            chain.append(
                Compound(
                    None if tag in (None, "*") else tag.lower(),
                    frozenset(classes),
                    ident,
                    tuple(attrs),
                )
            )
        chains.append(tuple(chain))
    return tuple(chains)


class DocIndex:
    """Elements of one document by class name and by id, in document order, with its
    ``<meta>`` elements and the head's first ``<base>``.

    Attributes: ``classes`` (name -> elements), ``ids`` (id -> elements), ``metas`` (every
    ``<meta>``), ``base`` (the first ``<base>`` in ``<head>``, or None), ``names`` (every
    class name and id on the page, for a quick "can this selector match" test), ``derived``
    (results other modules compute once per document, by their name: the breadcrumb
    blocks a list page's links, its dates and an article's info line all ask for).
    """

    __slots__ = ("_texts", "base", "classes", "derived", "ids", "metas", "names", "root")

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self._texts: list[tuple[etree._Element, str]] | None = None
        self.derived: dict[str, object] = {}
        self.classes: dict[str, list[etree._Element]] = {}
        self.ids: dict[str, list[etree._Element]] = {}
        self.metas: list[etree._Element] = []
        self.base: etree._Element | None = None
        classes = self.classes
        # One walk in Python: cheaper than any XPath that picks these elements out (lxml
        # tests each predicate per element at about the cost of this loop's body).
        for el in root.iter(etree.Element):
            value = el.get("class")
            if value:
                for name in value.split():
                    found = classes.get(name)
                    if found is None:
                        classes[name] = [el]
                    else:
                        found.append(el)
            value = el.get("id")
            if value:
                self.ids.setdefault(value, []).append(el)
            tag = el.tag
            if tag == "meta":
                self.metas.append(el)
            elif tag == "base" and self.base is None and _parent_tag(el) == "head":
                self.base = el
        self.names = self.classes.keys() | self.ids.keys()

    @property
    def texts(self) -> list[tuple[etree._Element, str]]:
        """Every text node of the document as ``(parent element, text)``, in document
        order: an element's text, then its children's, each child followed by its tail
        (the parent of a tail is the element that holds the child).  Built on first use,
        in one walk, so that a search for words in the page's text is a loop over strings
        (an XPath ``//text()[contains(.,...) or ...]`` tests each word on each node and
        cost up to 1 ms on a list page)."""
        if self._texts is None:
            texts: list[tuple[etree._Element, str]] = []
            root = self.root
            for node in root.iter():
                if isinstance(node.tag, str) and node.text:
                    texts.append((node, node.text))
                if node.tail and node is not root:
                    parent = node.getparent()
                    if parent is not None:
                        texts.append((parent, node.tail))
            self._texts = texts
        return self._texts

    def text_parents(self, pattern: re.Pattern[str]) -> list[etree._Element]:
        """The elements with a text node of their own (text or a child's tail) in which
        ``pattern`` is found, each once, in document order (as XPath's
        ``//text()[...]/..`` gives them)."""
        found: dict[etree._Element, None] = {}
        for parent, text in self.texts:
            if pattern.search(text):
                found[parent] = None
        return sorted(found, key=document_position) if len(found) > 1 else list(found)

    def meta(self, name: str, attr: str = "content") -> str | None:
        """``attr`` of the first ``<meta name=...>`` whose name is ``name`` (any case)."""
        for el in self.metas:
            if (el.get("name") or "").lower() == name:
                return el.get(attr)
        return None

    def select(self, chains: tuple[Chain, ...], root: etree._Element) -> list[etree._Element]:
        """Elements of the document (under ``root``) matching any chain, in document order."""
        return merge_in_document_order(*(self._chain(chain, root) for chain in chains))

    def with_class_containing(self, part: str) -> list[etree._Element]:
        """Elements with a class name containing ``part`` (CSS ``[class*=part]`` for a
        ``part`` without spaces), in document order."""
        return merge_in_document_order(*(els for name, els in self.classes.items() if part in name))

    def _candidates(self, step: Compound) -> list[etree._Element] | None:
        """Elements that may be ``step`` (by its rarest name), None when it names no class
        or id."""
        lists = [self.classes.get(name, []) for name in step.classes]
        if step.id is not None:
            lists.append(self.ids.get(step.id, []))
        if not lists:
            return None
        return min(lists, key=len)

    def _chain(self, chain: Chain, root: etree._Element) -> list[etree._Element]:
        last = chain[-1]
        candidates = self._candidates(last)
        if candidates is not None:
            return [el for el in candidates if _matches(el, chain)]
        # The last step names no class or id: find the nearest step that does and search
        # below its matches by tag; failing that, the whole document by tag.
        for anchor in range(len(chain) - 2, -1, -1):
            outer = self._candidates(chain[anchor])
            if outer is not None:
                break
        else:
            anchor, outer = -1, [root]
        tag = last.tag or etree.Element
        # When the anchor is the step just before the last (or the chain is one step), an
        # element below a matching anchor needs only to match the last step itself.
        direct = anchor == len(chain) - 2 or len(chain) == 1
        out: list[etree._Element] = []
        seen: set[int] = set()
        for top in outer:
            if anchor >= 0 and not _matches(top, chain[: anchor + 1]):
                continue
            for el in top.iter(tag):
                if (el is top and anchor >= 0) or id(el) in seen:
                    continue
                if last.matches(el) if direct else _matches(el, chain):
                    seen.add(id(el))
                    out.append(el)
        return out


def _parent_tag(el: etree._Element) -> object:
    parent = el.getparent()
    return parent.tag if parent is not None else None


def _matches(el: etree._Element, chain: Chain) -> bool:
    """True when ``el`` matches the chain's last step and its ancestors the steps before,
    nearest first (for descendant combinators the nearest match is always right)."""
    if not chain[-1].matches(el):
        return False
    ancestors = el.iterancestors()
    for step in reversed(chain[:-1]):
        for ancestor in ancestors:
            if step.matches(ancestor):
                break
        else:
            return False
    return True


# The indexes of the last pages read, by the identity of their root element.  The entry
# holds the root, so an id is never reused while its entry lives; a page is read from start
# to end before the next one, so a few entries are plenty and memory stays bounded.
_INDEXES: dict[int, tuple[etree._Element, DocIndex]] = {}
INDEXES_KEPT = 8


def doc_index(root: etree._Element) -> DocIndex:
    """The :class:`DocIndex` of the document whose root element is ``root``, built once
    (while it is among the last :data:`INDEXES_KEPT` pages indexed)."""
    entry = _INDEXES.get(id(root))
    if entry is not None and entry[0] is root:
        return entry[1]
    index = DocIndex(root)
    if len(_INDEXES) >= INDEXES_KEPT:
        del _INDEXES[next(iter(_INDEXES))]
    _INDEXES[id(root)] = (root, index)
    return index


def merge_in_document_order(*lists: list[etree._Element]) -> list[etree._Element]:
    """The elements of ``lists`` (each in document order), each once, in document order."""
    found = [hits for hits in lists if hits]
    if not found:
        return []
    seen = {id(el) for el in found[0]}
    extra = {id(el): el for hits in found[1:] for el in hits if id(el) not in seen}
    if not extra:  # groups often find the same elements (a selector and a looser variant)
        return found[0]
    return sorted([*found[0], *extra.values()], key=document_position)


def document_position(el: etree._Element) -> tuple[int, ...]:
    """A document-order key: the element's child index at every level from the root."""
    path = []
    parent = el.getparent()
    while parent is not None:
        path.append(parent.index(el))
        el, parent = parent, parent.getparent()
    return tuple(reversed(path))


@lru_cache(maxsize=512)
def compiled(css: str) -> etree.XPath:
    """``css`` as parsel translates it to XPath, compiled once (parsel compiles a query on
    every call, which costs about as much as running it on a news page)."""
    return etree.XPath(css2xpath(css))


def select_css(root: etree._Element, css: str) -> list[etree._Element]:
    """Every element matching ``css`` under ``root``, in document order.

    On a document root (no parent) a selector in the :func:`parse_css` subset is answered
    from the page's :class:`DocIndex`; anything else runs as compiled XPath.
    """
    if root.getparent() is None and (chains := parse_css(css)) is not None:
        return doc_index(root).select(chains, root)
    return [found for found in compiled(css)(root) if isinstance(found, etree._Element)]


_DATA_HITS = etree.XPath("descendant-or-self::*/@data-hits", smart_strings=False)


def page_hits(root: etree._Element) -> int | None:
    """The hit count of a page whose info line holds none: its one ``data-hits`` (static
    mode prints the counter's script so, guide §2.1, sometimes alone between the headline
    and the text); None when there is none, or several (a list of other pages)."""
    found = _DATA_HITS(root)
    if len(found) != 1 or not str(found[0]).strip().isdigit():
        return None
    return int(str(found[0]).strip())


def data_hits(el: etree._Element) -> str | None:
    """The first ``data-hits`` attribute in ``el`` or below it (MetInfo's hit counter fills
    the element that carries it, guide §2.1 "info line"), or None."""
    found = _DATA_HITS(el)
    return str(found[0]) if found else None
