#!/usr/bin/env bash
# `make tsan`: build with ThreadSanitizer, show it catching `skein lab race`, then run the test
# suite under it. Uses its own build folder (.build-tsan), so the normal build is untouched.
set -uo pipefail
cd "$(dirname "$0")/.."
./scripts/ensure-deps.sh
scratch=.build-tsan
export TSAN_OPTIONS="suppressions=$(pwd)/scripts/tsan.supp halt_on_error=0 second_deadlock_stack=1"
swift build --scratch-path "$scratch" --sanitize=thread --build-tests || exit 1
bin="$(swift build --scratch-path "$scratch" --sanitize=thread --show-bin-path)"

echo "== 1. ThreadSanitizer on the race lesson (a data race is expected) =="
"$bin/skein" lab race --iterations 1000000 --runs 1 2> /tmp/skein-tsan-race.log
if grep -q "WARNING: ThreadSanitizer: data race" /tmp/skein-tsan-race.log; then
  grep -m1 -A12 "WARNING: ThreadSanitizer: data race" /tmp/skein-tsan-race.log
  echo "== ThreadSanitizer reported the race, as it should =="
else
  echo "== ThreadSanitizer did NOT report the race lesson's race =="; exit 1
fi

echo "== 2. The test suite under ThreadSanitizer =="
# Left out: the race lesson's own test (its race is the point), the hostile command lines (exit
# codes of 1,170 runs of the binary, nothing ThreadSanitizer looks at), and the disk-full test (the
# sanitizer's runtime can't work under a 20 KB file-size limit: it exits with 66), the contact
# sheet in Chromium and the install's man pages (a browser and man, nothing ThreadSanitizer
# looks at, and the browser's load on 2 cores starves the test servers of the rest).
swift test --scratch-path "$scratch" --sanitize=thread --skip-build --skip "raceLesson" --skip "diskFull" --skip "hostileValues" \
    --skip "ContactSheetTests" --skip "InstallTests" 2> /tmp/skein-tsan-tests.log
status=$?
races=$(grep -c "WARNING: ThreadSanitizer" /tmp/skein-tsan-tests.log || true)
echo "tests exit status: $status; ThreadSanitizer warnings: $races (full log: /tmp/skein-tsan-tests.log)"
[ "$status" -eq 0 ] && [ "$races" -eq 0 ]
