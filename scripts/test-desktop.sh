#!/usr/bin/env bash
# End-to-end tests of the desktop app in its real window: builds the app, installs tauri-driver
# if missing, starts Xvfb and tauri-driver (which drives Debian's WebKitWebDriver), runs the
# UI's type check (tsc --checkJs over ui/js and its generated bindings) and the WebDriver tests in
# tests/e2e, and stops everything. Exits non-zero on failure.
# Needs: scripts/install-deps.sh --desktop, node + npm, and a Manim venv (THEORY2VIDEO_VENV or
# `theory2video setup`). Screenshots: test-output/screenshots/; numbers: test-output/metrics.json.
# Usage: scripts/test-desktop.sh [TEST_FILE…] (default: every test in tests/e2e). DRIVER_PORT
# (default 4444) chooses tauri-driver's port; WebKitWebDriver gets the next one. XVFB_DISPLAY
# (default a random :90–:98) chooses Xvfb's display.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
if [[ $# -gt 0 ]]; then tests=("$@"); else tests=(tests/e2e/); fi
target=${CARGO_TARGET_DIR:-$root/target}
out=$root/test-output
mkdir -p "$out/screenshots"

echo "==> building the app"
cargo build -p theory2video-desktop
app=$target/debug/theory2video-desktop

driver_bin=$(command -v tauri-driver || true)
[[ -n $driver_bin ]] || driver_bin=$HOME/.cargo/bin/tauri-driver
if [[ ! -x $driver_bin ]]; then
  echo "==> installing tauri-driver (crates.io)"
  cargo install tauri-driver --locked
fi
command -v WebKitWebDriver >/dev/null || { echo "WebKitWebDriver missing: scripts/install-deps.sh --desktop"; exit 2; }
[[ -d node_modules/selenium-webdriver && -d node_modules/typescript && -d node_modules/@tauri-apps/api ]] \
  || npm install --no-audit --no-fund

# The UI's JS, with the bindings generated from Rust, type-checked (their freshness is checked by
# `cargo test -p theory2video-desktop --test bindings`).
echo "==> tsc --checkJs (ui/js)"
npx tsc -p tsconfig.json

data=$(mktemp -d /tmp/t2v-e2e.XXXXXX)
export THEORY2VIDEO_DATA_DIR=$data
export THEORY2VIDEO_CONFIG_DIR=$data/config
export WEBKIT_DISABLE_COMPOSITING_MODE=1
# "Open" goes to the system's default app (xdg-open). The test machine has no video player, so
# a default app is registered for this run only: it records what it was asked to open in
# $T2V_E2E_OPENED, which the tests read to check the right file was opened.
opener=$data/opener
mkdir -p "$opener/data/applications" "$opener/config"
export T2V_E2E_OPENED=$opener/opened.txt
: > "$T2V_E2E_OPENED"
printf '#!/bin/sh\nprintf "%%s\\n" "$1" >> "%s"\n' "$T2V_E2E_OPENED" > "$opener/t2v-e2e-open"
chmod +x "$opener/t2v-e2e-open"
printf '[Desktop Entry]\nType=Application\nName=E2E opener\nExec=%s %%f\nMimeType=video/mp4;image/png;inode/directory;\nNoDisplay=true\n' \
  "$opener/t2v-e2e-open" > "$opener/data/applications/t2v-e2e-open.desktop"
printf '[Default Applications]\nvideo/mp4=t2v-e2e-open.desktop\nimage/png=t2v-e2e-open.desktop\ninode/directory=t2v-e2e-open.desktop\n' \
  > "$opener/config/mimeapps.list"
export XDG_DATA_HOME=$opener/data XDG_CONFIG_HOME=$opener/config
if [[ -z ${THEORY2VIDEO_VENV:-} && -x $HOME/.local/share/theory2video/venv/bin/manim ]]; then
  export THEORY2VIDEO_VENV=$HOME/.local/share/theory2video/venv
fi

display=${XVFB_DISPLAY:-:$((90 + RANDOM % 9))}
xvfb_pid=""
driver_pid=""
cleanup() {
  # SIGTERM, not SIGKILL: tauri-driver then stops WebKitWebDriver and releases the pipes.
  [[ -n $driver_pid ]] && kill -TERM "$driver_pid" 2>/dev/null && wait "$driver_pid" 2>/dev/null || true
  [[ -n $xvfb_pid ]] && kill -TERM "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

echo "==> Xvfb on $display"
Xvfb "$display" -screen 0 1280x860x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
export DISPLAY=$display
for _ in $(seq 50); do [[ -e /tmp/.X11-unix/X${display#:} ]] && break; sleep 0.1; done

echo "==> tauri-driver"
export DRIVER_PORT=${DRIVER_PORT:-4444}
"$driver_bin" --port "$DRIVER_PORT" --native-port $((DRIVER_PORT + 1)) >"$out/tauri-driver.log" 2>&1 &
driver_pid=$!
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$DRIVER_PORT) 2>/dev/null && break; sleep 0.1; done

echo "==> WebDriver tests (data dir $data)"
status=0
APP_PATH=$app SHOTS=$out/screenshots METRICS=$out/metrics.json \
  timeout -k 10 900 node --test --test-reporter=spec "${tests[@]}" || status=$?
[[ -f $out/metrics.json ]] && cat "$out/metrics.json"
echo "==> screenshots in $out/screenshots"
exit $status
