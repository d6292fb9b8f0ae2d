#!/usr/bin/env bash
# Sets Theory2Video up on Debian/Ubuntu and makes the sample video:
#   system packages (Manim's build deps, ffmpeg, LaTeX, bubblewrap, espeak-ng), Rust if missing,
#   the release build of the CLI, the Python venv with Manim, then a real video from
#   examples/pythagorean-theorem.md. Safe to run again: each step skips what is already done.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)

echo "==> 1/5 system packages"
scripts/install-deps.sh "$@"

echo "==> 2/5 Rust toolchain"
if ! command -v cargo >/dev/null 2>&1; then
  [[ -f "$HOME/.cargo/env" ]] && . "$HOME/.cargo/env"
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "    installing Rust with rustup"
  command -v curl >/dev/null || { sudo apt-get install -y curl || apt-get install -y curl; }
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
  . "$HOME/.cargo/env"
fi
cargo --version

echo "==> 3/5 building theory2video (release)"
cargo build --release -p theory2video
bin="${CARGO_TARGET_DIR:-target}/release/theory2video"

echo "==> 4/5 Python environment with Manim"
"$bin" setup

echo "==> 5/5 making the sample video"
"$bin" doctor || true
"$bin" generate examples/pythagorean-theorem.md --quality preview
echo
echo "Set-up and sample video took $(( $(date +%s) - start )) s."
echo "Your videos: $("$bin" jobs --json | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j[0]["video"] if j else "")')"
echo "Try: $bin generate examples/eulers-identity.txt   |   $bin jobs   |   scripts/run-desktop.sh"
