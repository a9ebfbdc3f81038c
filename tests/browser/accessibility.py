"""Accessibility checks in the browser tests: axe-core (npm, pinned in package-lock.json) run in the page.

``assert_accessible(page, name)`` injects axe-core into the page as it is now, runs it, writes the full result to
``test-artifacts/<db>/axe/<name>.json`` and fails on any violation whose impact is serious or critical. Minor and
moderate findings are kept in the artefact and counted in the run's summary, not failed. Every call is recorded so
the test run ends with one line per page walked (see ``conftest.pytest_terminal_summary``).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / os.environ.get("SUYUAN_TEST_DB_LABEL", "local") / "axe"
FAILING_IMPACTS = frozenset({"serious", "critical"})
# WCAG 2.1 A and AA plus axe's best practices: what the Chinese national standard GB/T 37668-2019 also asks.
RUN_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}


@dataclass(frozen=True)
class AxeResult:
    name: str
    url: str
    failing: int
    other: int


RESULTS: list[AxeResult] = []


def _describe(violation: dict) -> str:
    targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
    return f"[{violation['impact']}] {violation['id']}: {violation['help']} ({len(violation['nodes'])} 处: {targets})"


def assert_accessible(page, name: str, *, record: bool = True) -> None:  # type: ignore[no-untyped-def]
    """``record=False`` keeps a deliberately broken page (the checker's own test) out of the run's figures."""
    if not AXE.exists():
        raise AssertionError("未找到 axe-core：请运行 make test（会按 package-lock.json 安装 node_modules）。")
    # Evaluated through the DevTools protocol, not a <script> tag: the site's Content-Security-Policy
    # (script-src 'self' with nonces) rightly refuses an injected inline script.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate("options => axe.run(document, options)", RUN_OPTIONS)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    violations = result["violations"]
    failing = [v for v in violations if v.get("impact") in FAILING_IMPACTS]
    if record:
        RESULTS.append(AxeResult(name=name, url=page.url, failing=len(failing), other=len(violations) - len(failing)))
    assert not failing, f"{name} ({page.url}) 无障碍检查未通过:\n" + "\n".join(_describe(v) for v in failing)
