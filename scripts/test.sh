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
# This run's logs only: the closing count adds up every log in the folder.
rm -rf "$log_dir"
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
# Fuzz targets (cargo-fuzz needs a nightly toolchain): each runs briefly; a crash fails the suite
# and its input is kept under fuzz/artifacts/ to be turned into a regression test.
fuzz_all() {
  if ! command -v cargo-fuzz >/dev/null 2>&1; then cargo install cargo-fuzz --locked || return 1; fi
  local t rc=0
  for t in topic_parser llm_replies sse_and_wire; do
    echo "fuzz $t: ${FUZZ_SECONDS:-20} s"
    (cd fuzz && cargo +nightly fuzz run "$t" -- -max_total_time="${FUZZ_SECONDS:-20}" 2>&1 | grep -E "^Done|SUMMARY|panicked|Failing input") || rc=1
    ls fuzz/artifacts/"$t"/crash-* >/dev/null 2>&1 && { echo "fuzz $t found a crash"; rc=1; }
  done
  return $rc
}
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  run_step fuzz fuzz_all
else
  echo "==> fuzz: skipped (no nightly toolchain; the same properties run as seeded tests above)"
fi
if [[ -x scripts/test-desktop.sh ]]; then
  run_step desktop-e2e scripts/test-desktop.sh
fi

passed=$(grep -hoE "test result: [a-zA-Z]+\. [0-9]+ passed" "$log_dir"/*.log | grep -oE "[0-9]+ passed" | awk '{s+=$1} END {print s+0}')
failed=$(grep -hoE "[0-9]+ passed; [0-9]+ failed" "$log_dir"/*.log | awk '{s+=$3} END {print s+0}')
node_pass=$(grep -hoE "^(#|ℹ) pass [0-9]+" "$log_dir"/*.log | awk '{s+=$3} END {print s+0}')
node_fail=$(grep -hoE "^(#|ℹ) fail [0-9]+" "$log_dir"/*.log | awk '{s+=$3} END {print s+0}')
passed=$((passed + node_pass)); failed=$((failed + node_fail))
if ((${#failed_steps[@]})); then
  echo "failed steps: ${failed_steps[*]}"
  ((failed == 0)) && failed=1
fi
echo "$passed passed, $failed failed"
((${#failed_steps[@]} == 0))
