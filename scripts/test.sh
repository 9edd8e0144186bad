#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian machine, then runs all of it:
# Debian packages (when missing), a virtualenv with every extra, the web build check and its
# unit tests, ruff, mypy --strict, the docs build and pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "voicelive needs Python >= 3.11")'

need=()
command -v espeak-ng >/dev/null || need+=(espeak-ng)
command -v sox >/dev/null || need+=(sox)
command -v chromium >/dev/null || need+=(chromium)
command -v npm >/dev/null || need+=(nodejs npm)
command -v gcc >/dev/null || need+=(build-essential)
dpkg -s portaudio19-dev >/dev/null 2>&1 || need+=(portaudio19-dev)
"$PY" - <<'PYEOF' || need+=(python3-dev)
import os, sys, sysconfig
sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")) else 1)
PYEOF
"$PY" -c 'import ensurepip' 2>/dev/null || need+=(python3-venv)
# the deployment tests start their own throw-away PostgreSQL cluster and nginx
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing Debian packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
  # Debian starts the packaged services on install; the tests run their own instances only
  for svc in postgresql nginx; do
    case " ${need[*]} " in *" $svc "*)
      if command -v systemctl >/dev/null && systemctl is-active --quiet "$svc" 2>/dev/null; then
        $SUDO systemctl stop "$svc" || true
        $SUDO systemctl disable --quiet "$svc" 2>/dev/null || true
      elif command -v service >/dev/null; then
        $SUDO service "$svc" stop >/dev/null 2>&1 || true
      fi
    esac
  done
fi

[ -x .venv/bin/python ] || "$PY" -m venv .venv
echo "== installing Python packages"
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[all,dev]"
export PATH="$PWD/.venv/bin:$PATH"

if [ -f web/package.json ]; then
  echo "== web: npm ci, build check, unit tests"
  bash scripts/check_web_build.sh
  (cd web && npm test --silent)
fi

echo "== ruff"
ruff check .
echo "== mypy --strict"
mypy
if [ -f mkdocs.yml ]; then
  echo "== docs"
  mkdocs build --strict --site-dir "$(mktemp -d)" > .docs-build.log 2>&1 \
    || { grep -v "^INFO" .docs-build.log; exit 1; }
fi
echo "== pytest"
pytest "$@"
