"""Where a repeat run (state store, issue 4) stops paging a column: at the first list page
with nothing new or re-dated, even when what is new there was queued already from the home
page (a whole-site trial of a daily cron job: a site without a sitemap, a home block of the
latest news, a back-dated article landing on page 2, missed until the full check).
"""

from __future__ import annotations

from pathlib import Path

from tests.hostile import pages
from tests.hostile.faultserver import FaultServer, Hit, Reply, html, plain
from tests.hostile.harness import crawl

LIST = "/news/index.php?class1=1"
PAGE = LIST + "&page={}"
ART = "/news/shownews.php?id={}"
# The day each article shows, on its page and beside its list entry.
DAYS = {1: "2024-03-01", 2: "2024-03-02", 3: "2024-03-03", 4: "2024-03-04", 5: "2024-03-05"}
# The second day: 6 is new at the top; 7 new but back-dated between 3 and 2 (page 2).
NEW_DAYS = {**DAYS, 6: "2024-03-08", 7: "2024-03-02"}


def article(article_id: int, day: str) -> str:
    info = f"<span>{day} 09:30:00</span><span>{pages.AUTHOR}</span>"
    text = f"<p>第{article_id}期茶农培训班在协会培训中心结业，学员们交流了心得。</p>"
    return pages.article(article_id, f"协会第{article_id}期茶农培训班结业", text, info=info)


def list_page(ids: list[int], days: dict[int, str], page: int, last: int) -> str:
    """Page ``page`` of ``last`` of the column, its entries with the days they show."""
    items = "\n".join(
        f'<li><a href="shownews.php?id={i}">第{i}期培训班结业</a><span>{days[i]}</span></li>'
        for i in ids
    )
    pager = "".join(
        f'<a href="index.php?class1=1&page={n}">{n}</a>' for n in range(1, last + 1) if n != page
    )
    html_page = pages.news_list([], pager=[])
    return html_page.replace(
        '<ul class="met-news-list">\n\n</ul>', f'<ul class="met-news-list">\n{items}\n</ul>'
    ).replace('<div class="met_pager">', f'<div class="met_pager">{pager}', 1)


class Site:
    """The site on day 1 (articles 1-5, three to a list page) or day 2 (6 and 7 added)."""

    def __init__(self) -> None:
        self.day = 1

    def days(self) -> dict[int, str]:
        return DAYS if self.day == 1 else NEW_DAYS

    def order(self) -> list[int]:
        """Newest first, as MetInfo lists them."""
        return sorted(self.days(), key=lambda i: (self.days()[i], i), reverse=True)

    def __call__(self, hit: Hit) -> Reply:
        path = hit.target
        order = self.order()
        pages_of = [order[n : n + 3] for n in range(0, len(order), 3)]
        if path == "/":
            block = "".join(
                f'<li><a href="news/shownews.php?id={i}">协会第{i}期茶农培训班结业</a></li>'
                for i in order[:2]
            )
            links = f'<p><a href="news/index.php?class1=1">协会资讯</a></p><ul>{block}</ul>'
            return html(pages.home(links))
        for n, ids in enumerate(pages_of, 1):
            if path == (LIST if n == 1 else PAGE.format(n)):
                return html(list_page(ids, self.days(), n, len(pages_of)))
        for i, day in self.days().items():
            if path == ART.format(i):
                return html(article(i, day))
        return plain("not found", 404)


def test_a_repeat_run_pages_past_a_new_entry_the_home_page_queued(tmp_path: Path) -> None:
    site = Site()
    state = f"METINFO_STATE={tmp_path / 'state'}"
    with FaultServer(fallback=site) as server:
        first = crawl(server.origin + "/", tmp_path / "1.jsonl", state)
        site.day = 2
        second = crawl(server.origin + "/", tmp_path / "2.jsonl", state)
        asked = [hit.target for hit in server.hits]
    assert first.returncode == 0, first.tail()
    assert sorted(int(i["article_id"]) for i in first.items) == [1, 2, 3, 4, 5]
    assert second.returncode == 0, second.tail()
    # 6 came from the home block before page 1 was read; 7 only page 2 names
    assert sorted(int(i["article_id"]) for i in second.items) == [6, 7]
    assert asked.count(PAGE.format(2)) == 2  # once a day


class PublishesMidCrawl:
    """A column of two articles a page whose editor publishes article 5 once page 1 was
    read: page 1 said 2 pages (4 3 | 2 1), the later pages say 3 (5 4 | 3 2 | 1)."""

    def __init__(self) -> None:
        self.published = False

    def order(self) -> list[int]:
        return [5, 4, 3, 2, 1] if self.published else [4, 3, 2, 1]

    def __call__(self, hit: Hit) -> Reply:
        path = hit.target
        order = self.order()
        pages_of = [order[n : n + 2] for n in range(0, len(order), 2)]
        if path == "/":
            return html(pages.home('<p><a href="news/index.php?class1=1">协会资讯</a></p>'))
        for n, ids in enumerate(pages_of, 1):
            if path == (LIST if n == 1 else PAGE.format(n)):
                page = list_page(ids, {**DAYS, 5: "2024-03-06"}, n, len(pages_of))
                page = page.replace(
                    '<div class="met_pager">',
                    f'<div class="met_pager"><span>共{len(pages_of)}页</span>',
                )
                self.published = self.published or n == 1  # the edit lands after page 1
                return html(page)
        day = {**DAYS, 5: "2024-03-06"}
        for i in order:
            if path == ART.format(i):
                return html(article(i, day[i]))
        return plain("not found", 404)


def test_a_column_whose_page_count_changed_mid_crawl_is_read_again(tmp_path: Path) -> None:
    """Its pages stated 2 and then 3 pages: the site changed while they were walked, and
    article 5, published at the top after page 1 was read, is on a page read again (a
    whole-site trial of a busy site lost two articles pushed onto a page read first)."""
    site = PublishesMidCrawl()
    with FaultServer(fallback=site) as server:
        run = crawl(server.origin + "/", tmp_path / "items.jsonl")
        asked = [hit.target for hit in server.hits]
    assert run.returncode == 0, run.tail()
    assert sorted(int(i["article_id"]) for i in run.items) == [1, 2, 3, 4, 5]
    assert run.stat("metinfo/lists/reread_shifted") == 1
    assert asked.count(LIST) == 2  # page 1 once more, once


class GrowingColumn:
    """One column, three entries a page under a pager that links every page by number,
    articles 1-12 on day 1, 13-16 published (newest at the top) on day 2."""

    def __init__(self) -> None:
        self.day = 1

    def days(self) -> dict[int, str]:
        last = 12 if self.day == 1 else 16
        return {i: f"2024-04-{i:02d}" for i in range(1, last + 1)}

    def __call__(self, hit: Hit) -> Reply:
        path, days = hit.target, self.days()
        order = sorted(days, reverse=True)
        pages_of = [order[n : n + 3] for n in range(0, len(order), 3)]
        if path == "/":
            return html(pages.home('<p><a href="news/index.php?class1=1">协会资讯</a></p>'))
        for n, ids in enumerate(pages_of, 1):
            if path == (LIST if n == 1 else PAGE.format(n)):
                return html(list_page(ids, days, n, len(pages_of)))
        if (found := [i for i in days if path == ART.format(i)]) != []:
            return html(article(found[0], days[found[0]]))
        return plain("not found", 404)


def test_a_repeat_run_reads_one_page_at_a_time_and_a_quiet_day_is_no_drift(
    tmp_path: Path,
) -> None:
    """Day 2 puts four new articles on the column's pages 1 and 2: the repeat run reads
    pages 1, 2 and 3 (3 brings nothing new) and not 4-6, which the numbered pager of page 1
    names too (it asked for every page: a daily trial of a static site).  Day 3 brings
    nothing: page 1 alone, and its fewer listed entries are no drift (a quiet day after a
    busy one had been exit code 8)."""
    site = GrowingColumn()
    state = f"METINFO_STATE={tmp_path / 'state'}"
    asked = []
    with FaultServer(fallback=site) as server:
        for day in (1, 2, 3):
            site.day = day
            before = len(server.hits)
            run = crawl(server.origin + "/", tmp_path / f"{day}.jsonl", state)
            assert run.returncode == 0, run.tail()
            asked.append(([h.target for h in server.hits[before:]], run))
    (_, first), (second_asked, second), (third_asked, third) = asked
    assert len(first.items) == 12
    assert sorted(int(i["article_id"]) for i in second.items) == [13, 14, 15, 16]
    lists = [t for t in second_asked if t == LIST or t.startswith(LIST + "&")]
    assert sorted(lists) == [LIST, PAGE.format(2), PAGE.format(3)]
    assert [t for t in third_asked if t.startswith(LIST + "&")] == []
    assert third.items == [] and third.summary is not None
    assert third.summary["listed"] < second.summary["listed"]
    assert third.summary["drift"] == []
