#!/usr/bin/env bash
# Installs the system packages Theory2Video needs on Debian/Ubuntu (idempotent).
#   scripts/install-deps.sh            core: Manim build deps, ffmpeg, LaTeX, bubblewrap, espeak-ng
#   scripts/install-deps.sh --desktop  also the Tauri/WebKit build deps and the E2E tools (Xvfb, WebKitWebDriver)
set -euo pipefail
want=(pkg-config gcc fonts-dejavu-core libpango1.0-dev libcairo2-dev ffmpeg texlive-latex-base dvisvgm bubblewrap espeak-ng
      python3 python3-venv python3-dev procps)
if [[ "${1:-}" == "--desktop" ]]; then
  want+=(libwebkit2gtk-4.1-dev build-essential libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev
         xvfb webkit2gtk-driver imagemagick gstreamer1.0-libav gstreamer1.0-plugins-good)
fi
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
