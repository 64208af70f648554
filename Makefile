# The two commands of the README:
#   make demo   installs what is missing, builds Skein (release) and runs `skein demo`
#   make test   installs what is missing and runs the test suite
SWIFT ?= swift
RELEASE_BIN = .build/release/skein
PREFIX ?= /usr/local

.PHONY: deps demo build release install uninstall test bench bench-quick bench-peers bench-scale bench-jobs tsan fuzz clean

deps:
	@./scripts/ensure-deps.sh

release: deps
	$(SWIFT) build -c release --product skein

build: deps
	$(SWIFT) build

demo: release
	$(RELEASE_BIN) demo

install: release
	./scripts/install.sh install $(PREFIX)

uninstall:
	./scripts/install.sh uninstall $(PREFIX)

test:
	@./scripts/ensure-deps.sh test
	$(SWIFT) build --build-tests
	@# The man pages the install test installs (a test can't run SwiftPM on its own build folder).
	$(SWIFT) package --disable-sandbox generate-manual --configuration debug --multi-page --authors "the Skein developers" >/dev/null
	$(SWIFT) test --skip-build --parallel

bench: release
	$(RELEASE_BIN) bench

bench-quick: release
	$(RELEASE_BIN) bench --quick

bench-peers: release
	./scripts/install-peers.sh
	$(RELEASE_BIN) bench --peers

bench-scale: release
	$(RELEASE_BIN) bench --scale

bench-jobs: release
	./scripts/ensure-deps.sh test
	./scripts/install-peers.sh
	$(RELEASE_BIN) bench --jobs

tsan:
	./scripts/tsan.sh

fuzz:
	./scripts/fuzz.sh

clean:
	rm -rf .build images
