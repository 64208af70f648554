#!/usr/bin/env bash
# `make fuzz`: mutation fuzzing of the direct thumbnail paths under AddressSanitizer and
# UndefinedBehaviorSanitizer. Seeds are a small generated gallery (fetched by `skein demo`,
# originals and thumbnails). Usage: scripts/fuzz.sh [ITERATIONS] (default 50000 per round, 4 rounds)
set -euo pipefail
cd "$(dirname "$0")/.."
iterations="${1:-50000}"
work="$(mktemp -d /tmp/skein-fuzz.XXXXXX)"
trap 'rm -rf "$work"' EXIT

./scripts/ensure-deps.sh
swift build -c release --product skein
(cd "$work" && "$OLDPWD/.build/release/skein" demo --small --items 60 --out "$work/seeds" >/dev/null)

cc="${CC:-cc}"
"$cc" -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined \
  -I Sources/CThumbs/include -I Sources/CThumbs \
  scripts/fuzz/fuzz_thumbs.c Sources/CThumbs/*.c \
  -o "$work/fuzz_thumbs" -lturbojpeg -ldeflate -lgif -lm -lpthread

for round in 1 2 3 4; do
  ASAN_OPTIONS=detect_leaks=1 "$work/fuzz_thumbs" "$work/seeds" "$iterations" "$round"
done

# Reads of uninitialised memory are invisible to AddressSanitizer (one made a garbage JPEG
# report "too many pixels" at random): a shorter round under valgrind's memcheck, when present.
if command -v valgrind >/dev/null 2>&1; then
  "$cc" -O1 -g -I Sources/CThumbs/include -I Sources/CThumbs \
    scripts/fuzz/fuzz_thumbs.c Sources/CThumbs/*.c \
    -o "$work/fuzz_plain" -lturbojpeg -ldeflate -lgif -lm -lpthread
  valgrind --quiet --error-exitcode=9 "$work/fuzz_plain" "$work/seeds" "$(( iterations / 25 + 1 ))" 5
else
  echo "fuzz: valgrind is not installed; skipping the uninitialised-memory round"
fi
echo "fuzz: no crash, no sanitizer or memcheck report"
