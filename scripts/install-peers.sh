#!/usr/bin/env bash
# Installs the tools `skein bench --peers` compares Skein with, where missing:
# curl, aria2c, vipsthumbnail (apt), GNU time (apt), Pillow and img2dataset (pip).
set -euo pipefail
need=()
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v aria2c >/dev/null 2>&1 || need+=(aria2)
command -v vipsthumbnail >/dev/null 2>&1 || need+=(libvips-tools)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
python3 -c "import PIL" 2>/dev/null || python3 -m pip install -q pillow
command -v img2dataset >/dev/null 2>&1 || python3 -m pip install -q img2dataset
