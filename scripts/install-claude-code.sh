#!/usr/bin/env bash
# Installs the pinned Claude Code CLI for the engine tests and benchmarks, on demand, into a
# cache directory OUTSIDE the repository (its package with the native binary is ~380 MB, so it
# is not a dev dependency and `npm ci` never fetches it).
#
#   scripts/install-claude-code.sh        # installs if needed, prints the binary's path
#
# Idempotent: a second run finds the binary, checks its version and prints the path.
# Exit 0 with the path on stdout; non-zero with the reason on stderr. The tests read the same
# path (tests/support/claude-code-bin.ts) and skip, saying why, when it is not there.
set -euo pipefail

version="2.1.332"
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/mmm-tests"
prefix="$cache_root/claude-code-$version"
bin="$prefix/node_modules/.bin/claude"

installed_version() {
  [ -x "$bin" ] || return 1
  local out
  out="$("$bin" --version 2>/dev/null)" || return 1
  case "$out" in
    "$version "*) return 0 ;;
    *) return 1 ;;
  esac
}

if installed_version; then
  echo "$bin"
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "install-claude-code: npm is not on PATH; cannot install @anthropic-ai/claude-code@$version" >&2
  exit 1
fi

mkdir -p "$cache_root"
# Install into a fresh temp dir next to the target and move it into place, so an interrupted
# install never leaves a half-written prefix that looks installed.
tmp="$(mktemp -d "$cache_root/.claude-code-$version.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
echo '{"name":"mmm-claude-code-cache","private":true}' >"$tmp/package.json"
echo "install-claude-code: installing @anthropic-ai/claude-code@$version into $prefix" >&2
if ! npm install --prefix "$tmp" --no-audit --no-fund --no-save --loglevel=error \
  "@anthropic-ai/claude-code@$version" >&2; then
  echo "install-claude-code: npm install @anthropic-ai/claude-code@$version failed (see above)" >&2
  exit 1
fi
rm -rf "$prefix"
mv "$tmp" "$prefix"
trap - EXIT

if ! installed_version; then
  echo "install-claude-code: installed, but '$bin --version' does not report $version" \
    "(the platform's native binary may be missing: its optional dependency did not install)" >&2
  exit 1
fi
echo "$bin"
