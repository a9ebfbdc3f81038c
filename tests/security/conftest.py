"""Shared helpers of the reliability and security tests (docs/reliability.md)."""

from __future__ import annotations

from collections.abc import Callable

import pytest


@pytest.fixture
def report_figure(request) -> Callable[[str], None]:  # type: ignore[no-untyped-def]
    """Write a figure (case counts) to the terminal, also under ``-q`` and without ``-s``."""
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")

    def write(line: str) -> None:
        with capture.global_and_fixture_disabled():
            reporter.ensure_newline()
            reporter.write_line(line)

    return write
