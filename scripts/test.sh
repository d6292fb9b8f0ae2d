#!/usr/bin/env bash
# Runs the whole test suite: installs what the tests need (system packages, the Python venv with
# Manim, tauri-driver), then the Rust tests of every crate (real SQLite, real Manim, real ffmpeg,
# a loopback fake LLM server), the UI logic tests, and the desktop E2E tests in the real window
# under Xvfb. Prints one closing line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
export THEORY2VIDEO_VENV="${THEORY2VIDEO_VENV:-$HOME/.local/share/theory2video/venv}"
log_dir=test-output/logs
mkdir -p "$log_dir"

scripts/install-deps.sh --desktop || exit 1
if ! command -v cargo >/dev/null 2>&1 && [[ -f "$HOME/.cargo/env" ]]; then . "$HOME/.cargo/env"; fi

echo "==> Python venv with Manim ($THEORY2VIDEO_VENV)"
cargo run -q -p theory2video -- setup || exit 1

failed_steps=()
run_step() { # name, command...
  local name=$1; shift
  echo "==> $name"
  if "$@" 2>&1 | tee "$log_dir/$name.log"; then :; else failed_steps+=("$name"); fi
}

run_step rust cargo test --workspace --no-fail-fast
if [[ -f ui/package.json || -d ui/tests ]]; then
  run_step ui node --test ui/tests/
fi
if [[ -x scripts/test-desktop.sh ]]; then
  run_step desktop-e2e scripts/test-desktop.sh
fi

passed=$(grep -hoE "test result: [a-zA-Z]+\. [0-9]+ passed" "$log_dir"/*.log | grep -oE "[0-9]+ passed" | awk '{s+=$1} END {print s+0}')
failed=$(grep -hoE "[0-9]+ passed; [0-9]+ failed" "$log_dir"/*.log | awk '{s+=$3} END {print s+0}')
node_pass=$(grep -hoE "^# pass [0-9]+" "$log_dir"/*.log | awk '{s+=$3} END {print s+0}')
node_fail=$(grep -hoE "^# fail [0-9]+" "$log_dir"/*.log | awk '{s+=$3} END {print s+0}')
passed=$((passed + node_pass)); failed=$((failed + node_fail))
if ((${#failed_steps[@]})); then
  echo "failed steps: ${failed_steps[*]}"
  ((failed == 0)) && failed=1
fi
echo "$passed passed, $failed failed"
((${#failed_steps[@]} == 0))
