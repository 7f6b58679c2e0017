"""What every spider of the project keeps to: its naming (STYLE.md rule 8), and callbacks
that Scrapy's per-response generator check would not warn about (the project turns that
check off, WARN_ON_GENERATOR_RETURN_VALUE, because it re-parses the source every time)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import scrapy
from scrapy.utils.misc import is_generator_with_return_value
from scrapy.utils.project import get_project_settings

import spiders

SPIDER_MODULES = [
    importlib.import_module(f"spiders.{m.name}") for m in pkgutil.iter_modules(spiders.__path__)
]
SPIDERS = [
    obj
    for module in SPIDER_MODULES
    for obj in vars(module).values()
    if inspect.isclass(obj) and issubclass(obj, scrapy.Spider) and obj.__module__ == module.__name__
]


def test_every_spider_module_holds_its_spider_by_name() -> None:
    assert SPIDERS
    for spider in SPIDERS:
        module = spider.__module__.rsplit(".", 1)[1]
        assert spider.name == module
        assert spider.__name__ == module.title().replace("_", "") + "Spider"


def test_no_callback_is_a_generator_that_returns_a_value() -> None:
    checked = 0
    for spider in SPIDERS:
        for name, member in inspect.getmembers(spider, inspect.isfunction):
            if name.startswith(("parse", "on_")) or name == "start":
                assert not is_generator_with_return_value(member), f"{spider.__name__}.{name}"
                checked += 1
    assert checked >= 5


def test_the_project_turns_the_per_response_check_off() -> None:
    assert get_project_settings().getbool("WARN_ON_GENERATOR_RETURN_VALUE") is False
