#!/usr/bin/env bash
# Installs the system packages Theory2Video needs on Debian/Ubuntu (idempotent).
#   scripts/install-deps.sh            core: Manim build deps, ffmpeg, LaTeX, bubblewrap, espeak-ng, fonts
#   scripts/install-deps.sh --desktop  also the Tauri/WebKit build deps, node + npm (UI and E2E tests),
#                                      and the E2E tools (Xvfb, WebKitWebDriver, xdotool for file dialogs)
#   scripts/install-deps.sh --package  also debootstrap (scripts/test-package.sh)
# Fonts: DejaVu covers Latin (German, French, Spanish…), Greek and Cyrillic; WenQuanYi Micro Hei
# covers Chinese (and Japanese/Korean kana and hangul) — the storyboard's text is drawn with Pango.
set -euo pipefail
want=(pkg-config gcc fonts-dejavu-core fonts-dejavu-extra fonts-wqy-microhei libpango1.0-dev libcairo2-dev ffmpeg
      texlive-latex-base dvisvgm bubblewrap espeak-ng python3 python3-venv python3-dev procps ca-certificates curl)
for arg in "$@"; do
  case $arg in
    --desktop)
      want+=(libwebkit2gtk-4.1-dev build-essential libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev
             xvfb webkit2gtk-driver imagemagick xdotool xdg-utils file gstreamer1.0-libav gstreamer1.0-plugins-good)
      # node + npm from Debian unless a node with npm is already on PATH (another vendor's nodejs
      # package ships npm inside and conflicts with Debian's npm).
      if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then want+=(nodejs npm); fi ;;
    --package) want+=(debootstrap dpkg-dev fakeroot) ;;
    *) echo "install-deps.sh: unknown option $arg (use --desktop and/or --package)" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "==> installing: ${missing[*]}"
  sudo_cmd=""
  [[ $(id -u) -eq 0 ]] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "==> system packages already installed"
fi
