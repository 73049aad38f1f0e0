#!/usr/bin/env bash
# Screenshots of the sample site in the built-in "newspaper" theme, for eyeballing the look.
#
#   tests/screenshots.sh [OUT_DIR]        (default: target/screenshots in the repository)
#
# Builds the sample site (cargo run --release -- build) into a temporary folder, then has a
# headless Chromium photograph four pages, each at desktop width (1280) and phone width (390):
#   front page, an article, a campaign and an issue.
# Needs: cargo, and Chromium (chromium, chromium-browser or google-chrome; or set $CHROMIUM).
# For Chinese text to render, a CJK font must be installed (e.g. Debian's fonts-noto-cjk).
# Each page is shot tall enough to show all of it with the sample content (heights below);
# DESKTOP_HEIGHT / PHONE_HEIGHT override them for every page.
set -euo pipefail

die() { echo "screenshots.sh: error: $*" >&2; exit 1; }

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$repo/target/screenshots}"
desktop_w=1280
phone_w=390
min_bytes="${MIN_PNG_BYTES:-20000}"   # a blank or error page is far smaller than this

# Find Chromium before spending minutes on a release build.
chromium="${CHROMIUM:-}"
if [ -z "$chromium" ]; then
  for c in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$c" >/dev/null 2>&1; then chromium="$(command -v "$c")"; break; fi
  done
fi
if [ -z "$chromium" ] || ! command -v "$chromium" >/dev/null 2>&1; then
  die "Chromium not found (tried chromium, chromium-browser, google-chrome; or set CHROMIUM=/path/to/chrome).
  On Debian/Ubuntu: apt-get install -y chromium fonts-noto-cjk"
fi
command -v cargo >/dev/null 2>&1 || die "cargo not found"
# A Chromium that hangs should fail the run, not block it.
limit=()
if command -v timeout >/dev/null 2>&1; then limit=(timeout 120); fi
if ! fc-list :lang=zh >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  echo "screenshots.sh: warning: no CJK font found by fontconfig; Chinese text will show as boxes" >&2
fi

mkdir -p "$out"
out="$(cd "$out" && pwd)"
site_out="$(mktemp -d "${TMPDIR:-/tmp}/jianbao-shots.XXXXXX")"
profiles=()
cleanup() {
  rm -rf "$site_out"
  for p in "${profiles[@]+"${profiles[@]}"}"; do rm -rf "$p"; done
}
trap cleanup EXIT

echo "building the sample site into $site_out"
(cd "$repo" && cargo run --quiet --release -- build -o "$site_out") \
  || die "jianbao build failed"

# name|page|desktop height|phone height
pages=(
  "front|index.html|2400|3800"
  "article|articles/huaian-xiajiceng-huimou/index.html|1700|2100"
  "campaign|campaigns/luxian-qianming/index.html|5400|6900"
  "issue|issues/12/index.html|1400|1900"
)

failed=0
for page in "${pages[@]}"; do
  IFS='|' read -r name rel dh ph <<<"$page"
  [ -f "$site_out/$rel" ] || die "the build did not write $rel"
  for size in "desktop:${desktop_w},${DESKTOP_HEIGHT:-$dh}" "phone:${phone_w},${PHONE_HEIGHT:-$ph}"; do
    label="${size%%:*}"
    wh="${size#*:}"
    png="$out/$name-$label.png"
    rm -f "$png"
    profile="$(mktemp -d)"
    profiles+=("$profile")
    # Chromium writes its progress and harmless warnings on stderr; keep them for failures only.
    log="$profile.log"
    if ! "${limit[@]+"${limit[@]}"}" "$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --user-data-dir="$profile" \
        --screenshot="$png" --window-size="$wh" "file://$site_out/$rel" >"$log" 2>&1; then
      echo "screenshots.sh: chromium failed on $rel at $wh:" >&2
      tail -n 20 "$log" >&2
    fi
    rm -f "$log"
    if [ ! -f "$png" ]; then
      echo "screenshots.sh: error: no screenshot written: $png" >&2
      failed=1
      continue
    fi
    bytes="$(wc -c <"$png" | tr -d ' ')"
    if [ "$bytes" -lt "$min_bytes" ]; then
      echo "screenshots.sh: error: $png is only $bytes bytes (expected at least $min_bytes): blank page?" >&2
      failed=1
      continue
    fi
    printf '  %-22s %6s KB  (%s at %s)\n' "$(basename "$png")" "$((bytes / 1024))" "$rel" "$wh"
  done
done

[ "$failed" -eq 0 ] || die "some screenshots are missing or empty (see above)"
echo "screenshots in $out"
