#!/usr/bin/env bash
# Builds the Linux packages: the release CLI (staged in dist/bin/, which tauri.conf.json's
# bundle.linux.*.files maps to /usr/bin/theory2video), then the desktop app and its bundle(s).
#   scripts/build-package.sh                 the .deb (default)
#   scripts/build-package.sh deb,appimage    any of Tauri's --bundles (appimage needs the network:
#                                            docs/packaging.md)
#   scripts/build-package.sh --debug deb     a debug build (faster to build, same package layout)
# Prints the path of each package made, one a line, as its last output.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
profile=release; cargo_flag=--release; tauri_flag=""
if [[ ${1:-} == --debug ]]; then profile=debug; cargo_flag=""; tauri_flag=--debug; shift; fi
bundles=${1:-deb}
target=${CARGO_TARGET_DIR:-$root/target}
if ! command -v cargo >/dev/null 2>&1 && [[ -f "$HOME/.cargo/env" ]]; then . "$HOME/.cargo/env"; fi
[[ -x node_modules/.bin/tauri ]] || npm install --no-audit --no-fund >&2

echo "==> the CLI ($profile)" >&2
cargo build $cargo_flag -p theory2video >&2
mkdir -p dist/bin
install -m 0755 "$target/$profile/theory2video" dist/bin/theory2video

echo "==> the desktop app and its bundle: $bundles" >&2
TAURI_APP_PATH=src-tauri node_modules/.bin/tauri build $tauri_flag --bundles "$bundles" --ci >&2
for kind in ${bundles//,/ }; do
  case $kind in
    deb) ls -t "$target/$profile/bundle/deb/"*.deb | head -1 ;;
    rpm) ls -t "$target/$profile/bundle/rpm/"*.rpm | head -1 ;;
    appimage) ls -t "$target/$profile/bundle/appimage/"*.AppImage | head -1 ;;
  esac
done
