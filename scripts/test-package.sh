#!/usr/bin/env bash
# The fresh-machine test of the .deb (docs/packaging.md): builds the package, makes a minimal
# Debian 12 root with debootstrap from Debian's archive, installs the .deb there with apt (so its
# Depends and Recommends are resolved for real, nothing else is in the root), then, inside the
# root (chroot), runs the packaged `theory2video setup` and makes one preview video.
# Needs root (debootstrap, mounts, chroot) and the network to Debian's archive and the Python
# package index. Takes about 20 minutes; run it before each release commit (it does not fit CI).
#   scripts/test-package.sh                  build a release .deb and test it
#   DEB=path/to.deb scripts/test-package.sh  test a .deb already built
#   KEEP_ROOT=1                              keep the Debian root afterwards (printed)
#   DEBIAN_MIRROR=URL                        default http://deb.debian.org/debian
# Output: test-output/package/ (logs, the video, a frame of it); the last line is
# "N passed, N failed" over its checks.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
out=$repo/test-output/package
rm -rf "$out"
mkdir -p "$out"
start=$(date +%s)
stamp() { echo "==> [$(( $(date +%s) - start )) s] $*"; }
[[ $(id -u) -eq 0 ]] || { echo "test-package.sh needs root (debootstrap, chroot)"; exit 2; }

stamp "build tools (debootstrap)"
scripts/install-deps.sh --desktop --package

if [[ -z ${DEB:-} ]]; then
  stamp "building the .deb"
  DEB=$(scripts/build-package.sh deb 2>"$out/build.log" | tail -1) || { tail -30 "$out/build.log"; exit 1; }
fi
[[ -f $DEB ]] || { echo "no .deb at '$DEB'"; exit 1; }
cp "$DEB" "$out/"
dpkg-deb --info "$DEB" > "$out/deb-info.txt"
dpkg-deb --contents "$DEB" > "$out/deb-contents.txt"
stamp "package: $DEB ($(du -h "$DEB" | cut -f1))"

mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
root=$(mktemp -d /tmp/t2v-debroot.XXXXXX)
mounted=()
cleanup() {
  local m
  for ((i=${#mounted[@]}-1; i>=0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
  if [[ -n ${KEEP_ROOT:-} ]]; then echo "Debian root kept at $root"; else rm -rf --one-file-system "$root"; fi
}
trap cleanup EXIT

stamp "debootstrap bookworm (minbase) from $mirror"
debootstrap --variant=minbase bookworm "$root" "$mirror" > "$out/debootstrap.log" 2>&1 \
  || { tail -20 "$out/debootstrap.log"; exit 1; }
# The root is its own mount point (bubblewrap's pivot_root inside a chroot needs one), with
# /proc, /dev and /sys as on a booted system; DNS from the host.
mount --bind "$root" "$root"; mounted+=("$root")
for d in proc sys dev dev/pts; do
  mkdir -p "$root/$d"
  case $d in
    proc) mount -t proc proc "$root/proc" ;;
    sys) mount -t sysfs sys "$root/sys" ;;
    dev) mount --bind /dev "$root/dev" ;;
    dev/pts) mount -t devpts devpts "$root/dev/pts" -o newinstance,ptmxmode=0666 ;;
  esac
  mounted+=("$root/$d")
done
cp /etc/resolv.conf "$root/etc/resolv.conf"
# This host's own CA certificates (an HTTPS egress proxy's, if any) so the root reaches the Python
# package index the way the host does; added after apt installed ca-certificates (below).
# Nothing else: Debian's pip and the app's uv (UV_SYSTEM_CERTS) use the system's store.
host_cas=(/usr/local/share/ca-certificates/*.crt)
in_root() { chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"; }

passed=0; failed=0
check() { # name, command...
  local name=$1; shift
  if "$@" >>"$out/checks.log" 2>&1; then passed=$((passed+1)); echo "  ok   $name"
  else failed=$((failed+1)); echo "  FAIL $name"; fi
}

stamp "apt-get install the .deb in the root (its Depends and Recommends from $mirror)"
before=$(in_root dpkg-query -W -f='${Package}\n' | wc -l)
cp "$DEB" "$root/tmp/theory2video.deb"
in_root apt-get update -q > "$out/apt.log" 2>&1
if DEBIAN_FRONTEND=noninteractive in_root apt-get install -y -q /tmp/theory2video.deb >> "$out/apt.log" 2>&1; then
  passed=$((passed+1)); echo "  ok   apt installed the .deb"
else
  failed=$((failed+1)); echo "  FAIL apt install (tail of $out/apt.log):"; tail -20 "$out/apt.log"
  echo "$passed passed, $failed failed"; exit 1
fi
if [[ -e ${host_cas[0]} ]]; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp "${host_cas[@]}" "$root/usr/local/share/ca-certificates/"
  in_root update-ca-certificates >> "$out/apt.log" 2>&1
fi
after=$(in_root dpkg-query -W -f='${Package}\n' | wc -l)
stamp "apt added $((after - before)) packages ($(du -sh --exclude=proc --exclude=sys --exclude=dev "$root" 2>/dev/null | cut -f1) root)"
check "the CLI is on PATH at /usr/bin/theory2video" in_root test -x /usr/bin/theory2video
check "the desktop binary is installed" in_root test -x /usr/bin/theory2video-desktop

stamp "theory2video setup (packaged CLI, fresh data dir)"
setup_start=$(date +%s)
if in_root theory2video setup > "$out/setup.log" 2>&1; then
  passed=$((passed+1)); echo "  ok   setup ($(( $(date +%s) - setup_start )) s): $(tail -1 "$out/setup.log")"
else
  failed=$((failed+1)); echo "  FAIL setup:"; tail -20 "$out/setup.log"
fi
in_root theory2video doctor > "$out/doctor.txt" 2>&1 || true
cat "$out/doctor.txt"
sandbox_line=$(grep -i sandbox "$out/doctor.txt" | head -1 || true)
# bubblewrap in the chroot: the kernel refuses a user namespace there, so as root the app's
# sandbox makes the others without one (src/render/sandbox.rs, Namespaces::NoUser).
check "the doctor finds the sandbox working in the root" sh -c "echo '$sandbox_line' | grep -q 'on (bubblewrap'"

stamp "one preview video"
cat > "$root/tmp/topic.md" <<'TOPIC'
# The Pythagorean theorem

In a right triangle the square on the hypotenuse equals the sum of the squares on the two legs:
$a^2 + b^2 = c^2$.
TOPIC
gen_start=$(date +%s)
if in_root theory2video generate /tmp/topic.md --quality preview --max-scenes 2 --json > "$out/generate.json" 2> "$out/generate.log"; then
  passed=$((passed+1)); echo "  ok   generate ($(( $(date +%s) - gen_start )) s)"
else
  failed=$((failed+1)); echo "  FAIL generate:"; tail -20 "$out/generate.log"
fi
video=$(python3 -c 'import json,sys
for l in open(sys.argv[1]):
    l=l.strip()
    if l.startswith("{"): print(json.loads(l).get("video") or "")' "$out/generate.json" 2>/dev/null | tail -1)
if [[ -n $video && -f $root$video ]]; then
  cp "$root$video" "$out/video.mp4"
  dur=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$out/video.mp4")
  check "the video plays ($dur s, h264)" sh -c "ffprobe -v error -select_streams v:0 -show_entries stream=codec_name -of csv=p=0 '$out/video.mp4' | grep -q h264"
  ffmpeg -loglevel error -y -ss "$(python3 -c "print(float('$dur')/2)")" -i "$out/video.mp4" -frames:v 1 "$out/frame.png"
else
  failed=$((failed+1)); echo "  FAIL no video in the root (see $out/generate.log)"
fi
job_log=$(ls -t "$root"/root/.local/share/theory2video/videos/*/job.log 2>/dev/null | head -1 || true)
[[ -n $job_log ]] && cp "$job_log" "$out/job.log"
check "the job's renders ran in the sandbox (no sandbox warning in its log)" \
  sh -c "test -s '$out/job.log' && ! grep -q 'WARNING: the sandbox' '$out/job.log'"

echo "sandbox in the root: ${sandbox_line:-unknown}"
stamp "done in $(( $(date +%s) - start )) s; logs, video and frame in $out"
echo "$passed passed, $failed failed"
((failed == 0))
