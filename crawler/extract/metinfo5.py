"""MetInfo 4.0-5.1 default/met007 templates and the 5.x "met" UI (guide §2.1)."""

from __future__ import annotations

from typing import ClassVar

from crawler.extract.classic import ClassicFamily

# Selectors: 4.0-5.1 templates/default and met007; guide §2.1 (second row), fixtures
# metinfo4/*.  `.shownews.webbox` is one element with both classes.
DEFAULT_TITLE_CSS = ".shownews.webbox h1.title"
DEFAULT_INFO_CSS = ".shownews.webbox div.hits"
DEFAULT_BODY_CSS = ".shownews.webbox div.editor"

# Selectors: 5.x "met" UI (public/ui/met/shownews.html, used by metv5 and other .html
# templates); guide §2.1 (third row), fixtures metinfo5/*.  `#shownews` is an id here, the
# 4.x class of the same name is a class.
MET_TITLE_CSS = "#shownews h1.title"
# 点击次数：<span> + the include/hits.php script, then 更新时间：…, then 【打印】【关闭】.
MET_INFO_CSS = "#shownews div.met_hits"
MET_BODY_CSS = "#shownews div.editor"


class Metinfo4Family(ClassicFamily):
    """4.0-5.1 default/met007: ``.shownews.webbox`` holding ``h1.title``, the ``div.hits``
    line (点击次数 is a script, 更新时间 the date) and the ``div.editor`` body; ``div.page``
    prev/next after it."""

    name: ClassVar[str] = "metinfo4"
    TITLE_CSS = DEFAULT_TITLE_CSS
    INFO_CSS = DEFAULT_INFO_CSS
    BODY_CSS = DEFAULT_BODY_CSS


class Metinfo5Family(ClassicFamily):
    """5.x "met" UI: ``#shownews`` holding ``h1.title``, the ``div.met_hits`` line
    (点击次数 script, 更新时间, 【打印】【关闭】) and the ``div.editor`` body; ``div.met_page``
    (上一条/下一条) after it."""

    name: ClassVar[str] = "metinfo5"
    TITLE_CSS = MET_TITLE_CSS
    INFO_CSS = MET_INFO_CSS
    BODY_CSS = MET_BODY_CSS
