#!/usr/bin/env bash
# Installs what the browser tests need and the machine may lack: Debian's Chromium (Playwright drives it as
# /usr/bin/chromium; no browser is ever downloaded by Playwright itself), the CJK font the Japanese plot test draws
# with, and the Redis the two-process sweep test runs its cluster on.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  echo "Installing Chromium for the playground's browser tests (apt-get)…"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
"$(dirname "$0")/install-fonts.sh"
# the two-process sweep test starts its own Redis (Debian's redis-server) on 127.0.0.1
if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  echo "Installing redis-server for the cluster sweep test (apt-get)…"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
fi
