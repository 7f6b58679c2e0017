"""MetInfo 3.0 default template (guide §2.1)."""

from __future__ import annotations

from typing import ClassVar

from crawler.extract.classic import ClassicFamily

# Selectors: 3.0 default template; guide §2.1 (first row), fixtures metinfo3/*.
CONTAINER_CSS = "#web .webcontent"
TITLE_CSS = CONTAINER_CSS + " h1.title"
# `点击次数:<script src='../include/hits.php…'>` + `更新时间:Y-m-d H:i:s` (methtml_hits).
INFO_CSS = CONTAINER_CSS + " .hits"
BODY_CSS = CONTAINER_CSS + " div.text"


class Metinfo3Family(ClassicFamily):
    """3.0 default template: ``#web .webcontent`` holding ``h1.title``, the ``.hits`` line
    (hit-counter script + 更新时间) and the ``div.text`` body; ``div.page`` prev/next after it."""

    name: ClassVar[str] = "metinfo3"
    TITLE_CSS = TITLE_CSS
    INFO_CSS = INFO_CSS
    BODY_CSS = BODY_CSS
