#!/usr/bin/env bash
# What search costs: the generated site built with and without `--no-search`, alternating.
#
#   benches/search.sh [ARTICLES=10000] [RUNS=3]
#
# The site comes from ../shared/bench/gen_site.py --articles N --records 10N (cached in
# $BENCH_DIR/site-N). Each run builds it into a new, empty output folder (`fresh`: the index is
# made, nothing is kept) under /usr/bin/time, once with search and once without; then one more
# build into the search output shows the unchanged rebuild (`kept`: the index is carried over),
# and one after an article's text is edited (`edited`: its bundle is indexed anew).
# Printed: median wall seconds and peak RSS of each, the search stage's own time (from -v), and
# `du -sb` of output/search against the whole output.
#
# Environment: JIANBAO (binary; default target/release/jianbao of this repo),
#              BENCH_DIR (default /tmp/jianbao-bench/search), GEN (default ../shared/bench/gen_site.py).
# Outputs go to a trash folder deleted at exit (see benches/README.md on mass deletes).
set -euo pipefail

N=${1:-10000}
RUNS=${2:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
JIANBAO=${JIANBAO:-$REPO/target/release/jianbao}
WORK=${BENCH_DIR:-/tmp/jianbao-bench/search}
GEN=${GEN:-$REPO/../shared/bench/gen_site.py}
TIME=/usr/bin/time

[ -x "$JIANBAO" ] || { echo "no jianbao binary at $JIANBAO (cargo build --release)" >&2; exit 2; }
[ -f "$GEN" ] || { echo "no generator at $GEN" >&2; exit 2; }
. "$HERE/lib.sh"
trap 'rm -f "$WORK/.time-$$" "$WORK/.err-$$" "$WORK/results-$$"; empty_trash; rm -f "$JIANBAO"' EXIT

SITE="$WORK/site-$N"
KEY="articles=$N records=$((N * 10)) gen=$(md5sum "$GEN" | cut -c1-12)"
if [ "$(cat "$SITE/.key" 2>/dev/null)" != "$KEY" ]; then
  [ -e "$SITE" ] && trash "$SITE"
  echo "generating $SITE ($N articles)…" >&2
  python3 "$GEN" "$SITE" --articles "$N" --records "$((N * 10))"
  echo "$KEY" > "$SITE/.key"
fi
wait_after_delete
echo "jianbao: $JIANBAO ($("$JIANBAO" --version)); $(nproc) cores; $(date -u +%FT%TZ)" >&2
describe_binary

RESULTS="$WORK/results-$$"
: > "$RESULTS"
run() { # run KIND OUT [FLAGS...]
  local kind=$1 out=$2 t="$WORK/.time-$$" e="$WORK/.err-$$"
  shift 2
  sync
  local state
  state=$(busy)
  "$TIME" -f "%e %M" -o "$t" "$JIANBAO" build -v "$SITE" -o "$out" "$@" 2> "$e" || {
    echo "FAILED: $kind" >&2; tail -n 20 "$e" >&2; exit 1; }
  read -r wall rss < <(tail -n 1 "$t")
  local stage
  stage=$(awk '$1 == "search:" { print $2 }' "$e" | tail -n 1)
  printf '%s\t%s\t%s\t%s\n' "$kind" "$wall" "$rss" "${stage:--}" >> "$RESULTS"
  printf '  %-9s %8.2f s %7d MB  search stage %s s  %s\n' "$kind" "$wall" "$((rss / 1024))" "${stage:--}" "$state" >&2
}

RUN_DIR="$WORK/runs-$$"
for i in $(seq 1 "$RUNS"); do
  mkdir -p "$RUN_DIR/$i"
  run search "$RUN_DIR/$i/with"
  run no-search "$RUN_DIR/$i/without" --no-search
done
run kept "$RUN_DIR/1/with"
# The everyday case: one article's text edited, then built again into the same output (its
# bundle is indexed anew, the others kept). The article is put back as it was at exit.
EDITED=$(find "$SITE/content" -path '*/articles/*.md' | sort | awk 'NR == 1')
cp "$EDITED" "$WORK/.edited-$$"
trap 'cp "$WORK/.edited-$$" "$EDITED"; rm -f "$WORK/.edited-$$"; rm -f "$WORK/.time-$$" "$WORK/.err-$$" "$WORK/results-$$"; empty_trash; rm -f "$JIANBAO"' EXIT
printf '\n本文补记一段新的文字。\n' >> "$EDITED"
run edited "$RUN_DIR/1/with"
cp "$WORK/.edited-$$" "$EDITED"
OUT="$RUN_DIR/1/with"
search_bytes=$(du -sb "$OUT/search" | cut -f1)
all_bytes=$(du -sb "$OUT" | cut -f1)
search_files=$(find "$OUT/search" -type f | wc -l)

python3 - "$RESULTS" "$N" "$search_bytes" "$all_bytes" "$search_files" <<'PY'
import statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().splitlines()]
n, sb, ab, sf = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
print(f"\njianbao search cost (gen_site.py --articles {n})\n")
print("| build | runs | median wall s | median peak RSS MB | search stage s |")
print("| --- | ---: | ---: | ---: | ---: |")
for kind in ["search", "no-search", "kept", "edited"]:
    rs = [r for r in rows if r[0] == kind]
    if not rs:
        continue
    wall = statistics.median(float(r[1]) for r in rs)
    rss = statistics.median(int(r[2]) for r in rs) / 1024
    st = [float(r[3]) for r in rs if r[3] != "-"]
    stage = f"{statistics.median(st):.2f}" if st else "-"
    print(f"| {kind} | {len(rs)} | {wall:.2f} | {rss:.0f} | {stage} |")
print(f"\noutput/search: {sb / 1e6:.1f} MB in {sf} files, of {ab / 1e6:.1f} MB output ({100 * sb / ab:.1f} %)")
PY
trash "$RUN_DIR"
