#!/usr/bin/env bash
# Installs what Skein needs that a fresh Debian machine with Swift may lack, and nothing that
# is already there, with apt-get: pkg-config, libvips, the libraries of the direct
# thumbnail path (TurboJPEG, libdeflate, giflib), and FFmpeg (the embedded gallery makes the
# mp4s of its animated items with it) and the headers of its libraries (video thumbnails load
# libavformat, libavcodec and libswscale when a video needs them). With `test`, also the clients the tests hold
# the embedded gallery against (curl, aria2c), the JSON Schema validator (Python's jsonschema)
# and the decoder the odd-images test holds Skein against (Pillow), and PostgreSQL's server (the
# job-store tests start one of their own).
set -euo pipefail

need=()
if [ "${1:-}" = "test" ]; then
  command -v curl >/dev/null 2>&1 || need+=(curl)
  command -v aria2c >/dev/null 2>&1 || need+=(aria2)
  # A real PostgreSQL server for the job-store tests (they start their own, in a temporary folder).
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  # The contact sheet's test opens it in a real browser; the install's renders the man pages;
  # the progress line's runs under a pseudo-terminal (script, from bsdutils).
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v man >/dev/null 2>&1 || need+=(man-db)
  command -v script >/dev/null 2>&1 || need+=(bsdutils)
fi
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
if ! pkg-config --exists vips 2>/dev/null; then need+=(libvips-dev); fi
if ! pkg-config --exists libturbojpeg 2>/dev/null; then need+=(libturbojpeg0-dev); fi
if ! pkg-config --exists libdeflate 2>/dev/null; then need+=(libdeflate-dev); fi
if [ ! -f /usr/include/gif_lib.h ]; then need+=(libgif-dev); fi
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
for lib in libavformat libavcodec libswscale; do
  pkg-config --exists "$lib" 2>/dev/null || need+=("$lib-dev")
done

if [ ${#need[@]} -gt 0 ]; then
  echo "ensure-deps: installing ${need[*]} with apt-get" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "ensure-deps: Swift 6 is required (https://www.swift.org/install/linux/); it is not on PATH" >&2
  exit 1
fi
for lib in vips libturbojpeg libdeflate libavformat libavcodec libswscale; do
  pkg-config --exists "$lib" || { echo "ensure-deps: $lib is still missing after apt-get" >&2; exit 1; }
done
[ -f /usr/include/gif_lib.h ] || { echo "ensure-deps: giflib is still missing after apt-get" >&2; exit 1; }
command -v ffmpeg >/dev/null 2>&1 || { echo "ensure-deps: ffmpeg is still missing after apt-get" >&2; exit 1; }
if [ "${1:-}" = "test" ]; then
  py=()
  python3 -c "import jsonschema" 2>/dev/null || py+=(jsonschema)
  python3 -c "import PIL" 2>/dev/null || py+=(Pillow)
  if [ ${#py[@]} -gt 0 ]; then
    echo "ensure-deps: installing ${py[*]} with pip" >&2
    python3 -m pip install -q "${py[@]}" >/dev/null
  fi
fi
