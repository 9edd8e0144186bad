#!/usr/bin/env bash
# Rebuild the web page from a clean install and fail if the committed build in
# voicelive/server/static differs from it (i.e. someone changed web/ without
# committing the new build), or if the build embeds absolute paths.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
static="voicelive/server/static"

cd "$root/web"
npm ci --no-audit --no-fund
npm run build

cd "$root"
if grep -rIl -e "$root" -e "/home/" -e "/Users/" "$static" >/dev/null 2>&1; then
  echo "error: the build in $static embeds an absolute path:" >&2
  grep -rIl -e "$root" -e "/home/" -e "/Users/" "$static" >&2
  exit 1
fi

changes="$(git status --porcelain -- "$static")"
if [ -n "$changes" ]; then
  echo "error: the committed web build is stale; run 'npm ci && npm run build' in web/ and commit $static:" >&2
  echo "$changes" >&2
  exit 1
fi
echo "web build is up to date"
