#!/usr/bin/env bash
# Installs what reelwright needs and is missing: Debian packages through apt, npm packages through `npm ci`.
# Usage: scripts/setup.sh [--test]   (--test adds what the test suite needs: full Chromium for studio tests, Redis)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

missing=()
[ -x "${REELWRIGHT_CHROMIUM:-/usr/bin/chromium-headless-shell}" ] || missing+=(chromium-headless-shell)
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
# Templates and the benchmark card are designed with DejaVu Sans.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] || missing+=(fonts-dejavu-core)
# Chromium falls back to these per glyph, so names in other scripts show as letters, not boxes:
# Han, kana and Hangul (1.6 MB); Devanagari, Bengali, Tamil, Thai and other Indic/Southeast Asian scripts (1.4 MB).
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
[ -f /usr/share/fonts/truetype/noto/NotoSansDevanagariUI-Regular.ttf ] || missing+=(fonts-noto-ui-core)
if [ "$want_test" = 1 ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
fi

if [ "${#missing[@]}" -gt 0 ]; then
  # shellcheck disable=SC2207
  packages=($(printf '%s\n' "${missing[@]}" | sort -u))
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${packages[*]} with apt-get" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  else
    echo "setup: reelwright needs these Debian packages: ${packages[*]}" >&2
    echo "setup: run this once, then try again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${packages[*]}" >&2
    exit 1
  fi
fi

if ! command -v node >/dev/null 2>&1; then
  echo "setup: Node.js 20 or newer is required (node was not found on PATH)." >&2
  exit 1
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js 20 or newer is required, found $(node --version)." >&2
  exit 1
fi

# npm ci only when the lock file changed since the last install (it compiles better-sqlite3: ~2 minutes).
stamp=node_modules/.reelwright-lock.sha256
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  echo "setup: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$lock_hash" > "$stamp"
fi
