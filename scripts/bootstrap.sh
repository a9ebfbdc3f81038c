#!/usr/bin/env bash
# Prepare a fresh machine: find Python >= 3.12, install uv beside the project (not inside .venv),
# create .venv from the lock file, and install the Debian packages asked for in $DEBIAN_PACKAGES.
# Idempotent: a second run does almost nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

export SSL_CERT_FILE="${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}"
UV_VERSION="0.13.8"

find_python() {
  if [[ -n "${PYTHON:-}" ]]; then echo "$PYTHON"; return; fi
  local candidates=()
  if command -v pyenv >/dev/null 2>&1; then
    local root; root="$(pyenv root)"
    for v in $(ls -1 "$root/versions" 2>/dev/null | grep -E '^3\.(1[2-9])\.' | sort -V -r); do
      candidates+=("$root/versions/$v/bin/python")
    done
  fi
  candidates+=(python3.14 python3.13 python3.12 python3)
  for c in "${candidates[@]}"; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
      command -v "$c"; return
    fi
  done
  return 1
}

PY="$(find_python)" || {
  echo "错误：需要 Python 3.12 或更高版本，但未找到。请安装后重试，或用 PYTHON=/path/to/python3.12 指定。" >&2
  echo "error: Python >= 3.12 not found; install one or set PYTHON=/path/to/python3.12" >&2
  exit 1
}
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || {
  echo "错误：$PY 的版本低于 3.12。/ error: $PY is older than 3.12" >&2; exit 1; }

if [[ -n "${DEBIAN_PACKAGES:-}" ]]; then
  missing=()
  for pkg in $DEBIAN_PACKAGES; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    echo "==> 安装系统软件包 / installing Debian packages: ${missing[*]}"
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

UV=".tools/uv/bin/uv"
if [[ ! -x "$UV" ]] || [[ "$("$UV" --version 2>/dev/null | awk '{print $2}')" != "$UV_VERSION" ]]; then
  echo "==> 安装 uv $UV_VERSION / installing uv"
  rm -rf .tools/uv
  "$PY" -m venv .tools/uv
  .tools/uv/bin/python -m pip install -q --disable-pip-version-check "uv==$UV_VERSION"
fi

echo "==> 同步依赖 / syncing .venv from uv.lock ($("$PY" --version))"
"$UV" sync --locked --python "$PY" --quiet
