"""Known vulnerabilities in the locked dependencies (R10), with pip-audit, honestly reported.

Every package of ``uv.lock`` that comes from the package index is checked at its locked version:

1. ``pip-audit --no-deps --disable-pip -s pypi`` over the locked pins (pip-audit's own index
   vulnerability feed, one request per ``<name>/<version>``).
2. Where that feed cannot answer for a package (the per-version JSON is not served on every
   network: on the development machines only the per-project JSON is), the per-project JSON is
   read instead. Its ``vulnerabilities`` list describes the project's *latest* release, so it
   speaks for a locked pin only when the pin IS the latest release. A pin behind the latest
   release cannot be audited that way: it is counted and listed as "not audited", never passed
   off as clean.

Exit status: 1 if any known vulnerability affects a locked pin (unless recorded, with a reason,
in ``config/security-exceptions.toml``), or if nothing could be audited at all (no feed
reachable); 2 with ``--strict`` if any pin could not be audited; 0 otherwise. Prints the counts.

    .venv/bin/python scripts/audit_deps.py [--strict]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from packaging.utils import canonicalize_name
from packaging.version import Version
from pip._internal.models.index import PyPI

ROOT = Path(__file__).resolve().parent.parent
EXCEPTIONS = ROOT / "config" / "security-exceptions.toml"


def locked_packages() -> dict[str, str]:
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    return {
        canonicalize_name(p["name"]): p["version"]
        for p in lock["package"]
        if "registry" in p.get("source", {}) and "version" in p
    }


def ignored_vulnerabilities() -> dict[str, str]:
    data = tomllib.loads(EXCEPTIONS.read_text()) if EXCEPTIONS.exists() else {}
    return {item["id"]: item["reason"] for item in data.get("pip-audit", {}).get("ignore", [])}


def run_pip_audit(pins: dict[str, str]) -> tuple[dict[str, list[dict]], set[str]]:
    """pip-audit over the pins: (vulnerabilities by package, packages it could not audit)."""
    with tempfile.TemporaryDirectory() as tmp:
        req = Path(tmp) / "requirements.txt"
        req.write_text("".join(f"{name}=={version}\n" for name, version in sorted(pins.items())))
        out = Path(tmp) / "audit.json"
        cmd = [sys.executable, "-m", "pip_audit", "-r", str(req), "--no-deps", "--disable-pip",
               "-s", "pypi", "-f", "json", "-o", str(out), "--progress-spinner", "off"]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603 - our own argv
        if not out.exists():
            print(proc.stderr[-2000:], file=sys.stderr)
            return {}, set(pins)
        report = json.loads(out.read_text())
    found: dict[str, list[dict]] = {}
    skipped: set[str] = set()
    for dep in report.get("dependencies", []):
        name = canonicalize_name(dep["name"])
        if "skip_reason" in dep:
            skipped.add(name)
        elif dep.get("vulns"):
            found[name] = [{"id": v["id"], "aliases": v.get("aliases", []), "fix": v.get("fix_versions", [])}
                           for v in dep["vulns"]]
    return found, skipped


def project_feed(name: str, version: str) -> tuple[str, list[dict] | None, str]:
    """(name, vulnerabilities or None if this pin cannot be audited, latest release)."""
    try:
        response = requests.get(f"{PyPI.pypi_url}/{name}/json", timeout=60)
        response.raise_for_status()
    except requests.RequestException:
        return name, None, "?"
    data = response.json()
    latest = data["info"]["version"]
    if Version(latest) != Version(version):
        return name, None, latest
    vulns = [
        {"id": v["id"], "aliases": v.get("aliases", []), "fix": v.get("fixed_in", [])}
        for v in data.get("vulnerabilities") or []
        if v.get("withdrawn") is None
    ]
    return name, vulns, latest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="fail when a pin could not be audited")
    args = parser.parse_args()

    pins = locked_packages()
    found, skipped = run_pip_audit(pins)
    by_pip_audit = len(pins) - len(skipped)
    not_audited: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=8) as pool:
        for name, vulns, latest in pool.map(lambda n: project_feed(n, pins[n]), sorted(skipped)):
            if vulns is None:
                not_audited[name] = latest
            elif vulns:
                found[name] = vulns
    by_project_feed = len(skipped) - len(not_audited)

    ignored = ignored_vulnerabilities()
    failures = []
    for name, vulns in sorted(found.items()):
        for v in vulns:
            ids = {v["id"], *v["aliases"]}
            reason = next((ignored[i] for i in ids if i in ignored), None)
            line = f"{name}=={pins[name]} {v['id']} (修复版本 fixed in: {', '.join(v['fix']) or '-'})"
            if reason:
                print(f"已记录的例外 recorded exception: {line} — {reason}")
            else:
                failures.append(line)

    audited = by_pip_audit + by_project_feed
    print(f"依赖审计 dependency audit: locked={len(pins)} audited={audited} "
          f"(pip-audit feed={by_pip_audit}, project feed={by_project_feed}) "
          f"not_audited={len(not_audited)} vulnerable={len(failures)}")
    if not_audited:
        print("未能审计（锁定版本不是最新版，离线无法判断） not audited (pin behind latest release): "
              + ", ".join(f"{n}=={pins[n]} (latest {latest})" for n, latest in sorted(not_audited.items())))
    for line in failures:
        print(f"已知漏洞 known vulnerability: {line}")
    if failures or audited == 0:
        if audited == 0:
            print("无法连接任何漏洞数据源，依赖未经审计。 no vulnerability feed reachable: nothing audited.")
        return 1
    if args.strict and not_audited:
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
