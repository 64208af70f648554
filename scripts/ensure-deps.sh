#!/usr/bin/env bash
# Installs what Skein needs that a fresh Debian machine with Swift may lack, and nothing that
# is already there: libvips (headers and pkg-config file) and pkg-config, with apt-get.
set -euo pipefail

need=()
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
if ! pkg-config --exists vips 2>/dev/null; then need+=(libvips-dev); fi

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
pkg-config --exists vips || { echo "ensure-deps: libvips is still missing after apt-get" >&2; exit 1; }
