#!/usr/bin/env bash
# Lighthouse scores of the built sample site: the front, an article, a campaign, a unit, an
# issue, the archive, a tag and the three kinds of print page, on a phone and on a desktop.
# Not run by `cargo test` (it needs Chromium and the `lighthouse` npm package):
#
#   npm install -g lighthouse            # once
#   cargo run -- build                   # the sample site into output/
#   CHROME_PATH=/usr/bin/chromium tests/lighthouse.sh [OUTPUT_DIR] [PORT] [MIN_SCORE]
#
# Serves OUTPUT_DIR (default output/) on 127.0.0.1:PORT (default 8765), prints a table of the
# four category scores per page and form factor, and exits 1 if any is below MIN_SCORE
# (default 95). Reports go to $LH_REPORTS (default a temporary folder). Performance varies with
# the machine's load: LH_RUNS=3 runs each page three times and reports the median of each
# category, as Lighthouse's documentation advises.
set -euo pipefail

out=${1:-output}
port=${2:-8765}
min=${3:-95}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
reports=${LH_REPORTS:-$(mktemp -d)}
runs=${LH_RUNS:-1}
mkdir -p "$reports"

command -v lighthouse >/dev/null || { echo "lighthouse not found: npm install -g lighthouse" >&2; exit 2; }
[ -f "$out/index.html" ] || { echo "$out/index.html not found: build the site first" >&2; exit 2; }

first() { # the first page of a kind, by sorted path
    (cd "$out" && ls -d $1 2>/dev/null | LC_ALL=C sort | head -n 1)
}
pages=(
    index.html
    "$(first 'articles/*/index.html')"
    "$(first 'campaigns/*/index.html')"
    "$(first 'units/*/index.html')"
    "$(first 'issues/*/index.html')"
    archive/index.html
    "$(first 'tags/*/index.html' | grep -v '^tags/index.html$' || true)"
    "$(first 'articles/*/print.html')"
    "$(first 'campaigns/*/print.html')"
    "$(first 'issues/*/print.html')"
)

python3 -m http.server "$port" --bind 127.0.0.1 --directory "$out" >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/index.html" && break
    sleep 0.1
done

status=0
printf '%-44s %-8s %5s %5s %5s %5s\n' page form perf a11y bp seo
for page in "${pages[@]}"; do
    [ -n "$page" ] || continue
    for form in mobile desktop; do
        name=$(echo "$page-$form" | tr '/' '_')
        preset=()
        [ "$form" = desktop ] && preset=(--preset=desktop)
        files=()
        for run in $(seq "$runs"); do
            lighthouse "http://127.0.0.1:$port/$page" "${preset[@]}" \
                --only-categories=performance,accessibility,best-practices,seo \
                --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
                --output=json --output-path="$reports/$name-$run.json" --quiet || { status=1; continue; }
            files+=("$reports/$name-$run.json")
        done
        [ ${#files[@]} -gt 0 ] || continue
        line=$(python3 - "$min" "${files[@]}" <<'PY'
import json, statistics, sys
cats = ["performance", "accessibility", "best-practices", "seo"]
runs = [json.load(open(f))["categories"] for f in sys.argv[2:]]
scores = [round(statistics.median((r[c]["score"] or 0) * 100 for r in runs)) for c in cats]
low = [c for c, s in zip(cats, scores) if s < int(sys.argv[1])]
print(" ".join(f"{s:5d}" for s in scores), "LOW:" + ",".join(low) if low else "")
PY
)
        printf '%-44s %-8s %s\n' "$page" "$form" "$line"
        case "$line" in *LOW:*) status=1 ;; esac
    done
done
echo "reports: $reports"
exit $status
