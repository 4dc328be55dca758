#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium for the report's browser tests (tests/AutoSpec.Tests/Report). Called by
# .ci/run and, when /usr/bin/chromium is missing, by the tests' own setup (HeadlessBrowser), so that `dotnet test` on a
# fresh Debian machine needs nothing installed by hand. Needs root and Debian's package feed; idempotent.
set -euo pipefail
if command -v chromium >/dev/null; then
    exit 0
fi
[[ $EUID -eq 0 ]] || { echo "install-chromium: Chromium is not installed and installing it needs root: sudo apt-get install chromium" >&2; exit 3; }
command -v apt-get >/dev/null || { echo "install-chromium: no apt-get here; install Chromium and set AUTOSPEC_CHROMIUM to its path" >&2; exit 3; }
apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >/dev/null
command -v chromium >/dev/null || { echo "install-chromium: apt-get finished but chromium is not on PATH" >&2; exit 3; }
