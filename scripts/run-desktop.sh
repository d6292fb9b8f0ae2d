#!/usr/bin/env bash
# Installs the desktop app's system packages (WebKitGTK), builds it and opens the window.
# The first build takes about 5 minutes; later starts are instant.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --desktop
if ! command -v cargo >/dev/null 2>&1 && [[ -f "$HOME/.cargo/env" ]]; then . "$HOME/.cargo/env"; fi
exec cargo run -p theory2video-desktop -- "$@"
