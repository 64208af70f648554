#!/usr/bin/env bash
# make install / make uninstall: Skein in PREFIX (default /usr/local).
#   scripts/install.sh install PREFIX     the release binary, a man page per command, completions
#   scripts/install.sh uninstall PREFIX   removes exactly what install put there
# SKEIN_BIN (default .build/release/skein) and SKEIN_CONFIGURATION (release or debug: the
# build the man pages are generated from, by argument-parser's generate-manual plugin) choose
# the build; DESTDIR is honoured for packaging.
set -euo pipefail
cd "$(dirname "$0")/.."
action=${1:?usage: install.sh install|uninstall PREFIX}
prefix=${2:-/usr/local}
root="${DESTDIR:-}$prefix"
configuration=${SKEIN_CONFIGURATION:-release}
binary=${SKEIN_BIN:-.build/$configuration/skein}
bin="$root/bin" man1="$root/share/man/man1"
bash_dir="$root/share/bash-completion/completions" zsh_dir="$root/share/zsh/site-functions" fish_dir="$root/share/fish/vendor_completions.d"

case "$action" in
install)
    [ -x "$binary" ] || { echo "install.sh: no binary at $binary (make release builds it)" >&2; exit 2; }
    pages=${SKEIN_MAN_PAGES:-}
    if [ -z "$pages" ]; then
        pages=.build/plugins/GenerateManual/outputs/skein
        rm -rf "$pages"
        # The plugin builds the package in $configuration (already built: nothing to do) and
        # runs generate-manual over the skein binary: skein.1 and skein.COMMAND.1 for each command.
        swift package --disable-sandbox generate-manual --configuration "$configuration" --multi-page \
            --authors "the Skein developers" >/dev/null
    fi
    ls "$pages"/*.1 >/dev/null
    install -d "$bin" "$man1" "$bash_dir" "$zsh_dir" "$fish_dir"
    install -m 755 "$binary" "$bin/skein"
    # Every command's page but the internal worker's (what the process engine starts).
    find "$pages" -maxdepth 1 -name "*.1" ! -name "skein.worker.1" -exec install -m 644 {} "$man1/" \;
    "$binary" --generate-completion-script bash > "$bash_dir/skein"
    "$binary" --generate-completion-script zsh > "$zsh_dir/_skein"
    "$binary" --generate-completion-script fish > "$fish_dir/skein.fish"
    echo "installed skein $("$bin/skein" --version) in $root: bin/skein, $(ls "$man1"/skein.1 "$man1"/skein.*.1 | wc -l) man pages, bash, zsh and fish completions"
    ;;
uninstall)
    rm -f "$bin/skein" "$man1"/skein.1 "$man1"/skein.*.1 "$bash_dir/skein" "$zsh_dir/_skein" "$fish_dir/skein.fish"
    echo "removed skein from $root"
    ;;
*)
    echo "usage: install.sh install|uninstall PREFIX" >&2; exit 2 ;;
esac
