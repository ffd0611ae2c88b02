"""Shared pytest set-up: the `--run-slow` option (or LECTERN_FUZZ_LONG=1) enables `slow` tests."""
from __future__ import annotations

import os

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", default=False,
                     help="also run long tests (long fuzz runs, size tests); same as LECTERN_FUZZ_LONG=1")


def run_slow(config: pytest.Config) -> bool:
    return bool(config.getoption("--run-slow")) or os.environ.get("LECTERN_FUZZ_LONG") == "1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if run_slow(config):
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow or LECTERN_FUZZ_LONG=1")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright (skipped only where it is absent and CI is not set)."""
    from deck_browser import ARGS, CHROMIUM, need_chromium
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session", autouse=True)
def own_cache_folder(tmp_path_factory):
    """Lectern keeps small caches in the user's cache folder (pandoc runs, slide fits, the key
    signing kept guide parts): the tests use their own, never the user's, and start empty."""
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old
