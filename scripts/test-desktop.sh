#!/usr/bin/env bash
# End-to-end tests of the desktop app in its real window: builds the app, installs tauri-driver
# if missing, starts Xvfb and tauri-driver (which drives Debian's WebKitWebDriver), runs the
# WebDriver tests in tests/e2e, and stops everything. Exits non-zero on failure.
# Needs: scripts/install-deps.sh --desktop, node + npm, and a Manim venv (THEORY2VIDEO_VENV or
# `theory2video setup`). Screenshots: test-output/screenshots/; numbers: test-output/metrics.json.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
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
[[ -d node_modules/selenium-webdriver ]] || npm install --no-audit --no-fund

data=$(mktemp -d /tmp/t2v-e2e.XXXXXX)
export THEORY2VIDEO_DATA_DIR=$data
export THEORY2VIDEO_CONFIG_DIR=$data/config
export WEBKIT_DISABLE_COMPOSITING_MODE=1
if [[ -z ${THEORY2VIDEO_VENV:-} && -x $HOME/.local/share/theory2video/venv/bin/manim ]]; then
  export THEORY2VIDEO_VENV=$HOME/.local/share/theory2video/venv
fi

display=:$((90 + RANDOM % 9))
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
"$driver_bin" --port 4444 >"$out/tauri-driver.log" 2>&1 &
driver_pid=$!
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/4444) 2>/dev/null && break; sleep 0.1; done

echo "==> WebDriver tests (data dir $data)"
status=0
APP_PATH=$app SHOTS=$out/screenshots METRICS=$out/metrics.json \
  timeout -k 10 900 node --test --test-reporter=spec tests/e2e/ || status=$?
[[ -f $out/metrics.json ]] && cat "$out/metrics.json"
echo "==> screenshots in $out/screenshots"
exit $status
