"""The published item schema: in step with NewsArticle, and strict where the issue is strict."""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any

import pytest

from crawler.extract import content_hash
from crawler.items import NewsArticle
from pipelines.validate import REQUIRED_FIELDS
from tests.support import schema, schema_errors, validator

JSON_TYPES = {str: "string", int: "integer", type(None): "null", list: "array", dict: "object"}


def json_types(annotation: Any) -> set[str]:
    """The JSON types a field annotation allows: ``str | None`` -> {"string", "null"}."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return set().union(*(json_types(arg) for arg in typing.get_args(annotation)))
    return {JSON_TYPES[typing.get_origin(annotation) or annotation]}


def schema_types(prop: dict[str, Any]) -> set[str]:
    kind = prop["type"]
    return {kind} if isinstance(kind, str) else set(kind)


def good_item() -> dict[str, Any]:
    """A complete item as the feed exports it; the values are made up for these tests."""
    title, body = "青禾商会召开会员大会", "第一段。\n时间\t议程"
    return dataclasses.asdict(
        NewsArticle(
            url="http://127.0.0.1:8720/news/shownews.php?id=1",
            site="http://127.0.0.1:8720/",
            article_id="1",
            language="zh-CN",
            column=["新闻资讯", "商会动态"],
            title=title,
            published_at="2024-03-05T09:30:00+08:00",
            published_at_raw="2024-03-05 09:30:00",
            author="admin",
            source=None,
            hits=12,
            body=body,
            body_html="<p>第一段。</p>",
            images=[{"url": "http://127.0.0.1:8720/upload/a.png", "alt": None}],
            attachments=[{"url": "http://127.0.0.1:8720/upload/file/a.pdf", "name": "议程.pdf"}],
            metinfo_version="7.2.0",
            template_family="metinfo7",
            fetched_at="2026-11-29T23:51:08+00:00",
            content_hash=content_hash(title, body),
        )
    )


def test_schema_is_valid_draft_2020_12() -> None:
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    validator()  # check_schema raises on a malformed schema


def test_properties_are_the_dataclass_fields_in_order() -> None:
    fields = [f.name for f in dataclasses.fields(NewsArticle)]
    assert list(schema()["properties"]) == fields
    assert schema()["required"] == fields
    assert schema()["additionalProperties"] is False


def test_property_types_follow_the_annotations() -> None:
    """Types and nullability match; url, title and body are non-empty strings in the
    export because the validation pipeline drops items without them."""
    hints = typing.get_type_hints(NewsArticle)
    for name, prop in schema()["properties"].items():
        want = {"string"} if name in REQUIRED_FIELDS else json_types(hints[name])
        assert schema_types(prop) == want, name


def test_every_property_is_described() -> None:
    def described(props: dict[str, Any]) -> None:
        for name, prop in props.items():
            assert prop.get("description", "").strip(), name
            described(prop.get("items", {}).get("properties", {}))

    described(schema()["properties"])


def test_a_complete_item_validates() -> None:
    assert schema_errors(good_item()) == []


@pytest.mark.parametrize("day", ["2024-03-05", None])
def test_a_date_only_or_missing_published_at_validates(day: str | None) -> None:
    item = good_item()
    item["published_at"] = day
    assert schema_errors(item) == []


@pytest.mark.parametrize("name", [f.name for f in dataclasses.fields(NewsArticle)])
def test_an_item_missing_a_field_is_rejected(name: str) -> None:
    item = good_item()
    del item[name]
    assert any(f"'{name}' is a required property" in e for e in schema_errors(item))


@pytest.mark.parametrize(
    "value",
    [
        "2024-03-05 09:30:00",  # the raw page text, not ISO 8601
        "2024-03-05T09:30:00",  # a time without its offset
        "2024-03-05T09:30+08:00",  # no seconds
        "2024/03/05",
        "05.03.2024",
        "",
    ],
)
def test_a_bad_published_at_is_rejected(value: str) -> None:
    item = good_item()
    item["published_at"] = value
    assert [e for e in schema_errors(item) if e.startswith("published_at:")]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("fetched_at",), "2026-11-29T23:51:08+08:00"),  # not UTC
        (("fetched_at",), "2026-11-29"),
        (("content_hash",), "abc123"),
        (("content_hash",), "G" * 64),
        (("hits",), -1),
        (("hits",), "12"),
        (("title",), ""),
        (("title",), None),
        (("body",), " \n"),
        (("url",), "/news/shownews.php?id=1"),
        (("site",), "http://127.0.0.1:8720"),  # the root URL keeps its trailing slash
        (("column",), "商会动态"),
        (("language",), 5),
        (("images", 0, "alt"), 3),
        (("images", 0), {"url": "http://127.0.0.1:8720/a.png"}),
        (("images", 0), {"url": "http://127.0.0.1:8720/a.png", "alt": None, "src": "a.png"}),
        (("attachments", 0, "name"), None),
        (("template_family",), ""),
    ],
)
def test_a_bad_value_is_rejected(path: tuple[Any, ...], value: Any) -> None:
    item = good_item()
    target = item
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    assert schema_errors(item), f"{path} = {value!r} was accepted"


def test_an_unknown_property_is_rejected() -> None:
    item = good_item()
    item["summary"] = "not a field of NewsArticle"
    assert schema_errors(item)
