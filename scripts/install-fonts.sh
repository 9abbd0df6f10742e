#!/usr/bin/env bash
# Installs a font with Japanese glyphs for the plots of 'experiment --lang ja' (Debian's fonts-noto-cjk: Noto Sans CJK,
# SIL Open Font Licence). Nothing is downloaded by NeuralSharp itself; without the font, Japanese plot text is boxes
# and the command says so.
set -euo pipefail
if ! ls /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  echo "Installing Noto Sans CJK for Japanese plot text (apt-get)…"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq fonts-noto-cjk >/dev/null
fi
