#!/usr/bin/env bash
# How jianbao's check and build grow with the size of a bulletin site.
#
#   benches/scale.sh [SIZES="1000 10000 100000"] [RUNS=3]
#
# For each size N: the site from ../shared/bench/gen_site.py --articles N --records 10N
# (cached in $BENCH_DIR/site-N, regenerated only when the generator or N changes), then
#   check  RUNS x `jianbao check SITE`
#   fresh  RUNS x `jianbao build -q SITE -o NEW_EMPTY_DIR`
#   prime  1 x rebuild into the first fresh output (creates jianbao's spare generation; not in medians)
#   warm   RUNS x `jianbao build -q SITE -o SAME_DIR` (only files whose bytes changed are written)
# each under /usr/bin/time -f "%e %M" (wall s, peak RSS), after `sync`. Medians are printed with
# the time per article, so linear growth shows as a flat ms/article column.
#
# Environment: JIANBAO (binary; default target/release/jianbao of this repo),
#              BENCH_DIR (default /tmp/jianbao-bench/scale), GEN (default ../shared/bench/gen_site.py),
#              GENERATE_ONLY=1 (only generate the missing sites, measure nothing).
# Nothing is deleted before or between timed runs (the filesystem is slow to create files for
# ~70 s after a mass delete); output folders go to a trash folder removed at the very end.
# The 100k site is ~1 GB of input and takes minutes to generate: run it with nohup and poll.
set -euo pipefail

SIZES=${1:-"1000 10000 100000"}
RUNS=${2:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
JIANBAO=${JIANBAO:-$REPO/target/release/jianbao}
WORK=${BENCH_DIR:-/tmp/jianbao-bench/scale}
GEN=${GEN:-$(cd "$REPO/.." && pwd)/shared/bench/gen_site.py}
TIME=/usr/bin/time

[ -x "$JIANBAO" ] || { echo "no jianbao binary at $JIANBAO (cargo build --release)" >&2; exit 2; }
[ -f "$GEN" ] || { echo "no generator at $GEN" >&2; exit 2; }
. "$HERE/lib.sh"
cleanup() {
  rm -f "$WORK/.time-$$" "$WORK/.err-$$" "${RESULTS:-}" "${INFO:-}"
  empty_trash
}
trap 'cleanup; rm -f "$JIANBAO"' EXIT

RESULTS="$WORK/results-$$.tsv"
: > "$RESULTS"
run() { # run N PHASE I CMD...
  local n=$1 phase=$2 i=$3 t="$WORK/.time-$$" e="$WORK/.err-$$" rc=0
  shift 3
  sync
  busy=$(busy)
  "$TIME" -f "%e %M" -o "$t" "$@" 2> "$e" || rc=$?
  # `check` ends with one "ok: …" summary line: shown for run 1 only; anything else always.
  if [ "$i" = 1 ]; then grep '^ok:' "$e" | sed 's/^/  /' >&2 || true; fi
  if grep -qv '^ok:' "$e"; then
    echo "  stderr of $phase $i ($(grep -cv '^ok:' "$e") lines; first 20):" >&2
    grep -v '^ok:' "$e" | head -n 20 | sed 's/^/    /' >&2
  fi
  if [ "$rc" != 0 ]; then
    echo "FAILED (exit $rc): $*" >&2
    printf '%s\t%s\t%s\tFAIL\t%s\t%s\n' "$n" "$phase" "$i" "$rc" "$busy" >> "$RESULTS"
    return 0
  fi
  read -r wall rss < <(tail -n 1 "$t")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$phase" "$i" "$wall" "$rss" "$busy" >> "$RESULTS"
  printf '  %7s %-6s %s %8.2f s %7d MB  %s\n' "$n" "$phase" "$i" "$wall" "$((rss / 1024))" "$busy" >&2
}

echo "jianbao: $JIANBAO ($("$JIANBAO" --version)); $(nproc) cores; $(date -u +%FT%TZ)" >&2
describe_binary
if pgrep -x rustc >/dev/null || pgrep -x cargo >/dev/null; then
  echo "warning: cargo/rustc is running on this machine; the timings will be noisy" >&2
fi
INFO="$WORK/info-$$.tsv"
: > "$INFO"
for N in $SIZES; do
  R=$((N * 10))
  SITE="$WORK/site-$N"
  KEY="articles=$N records=$R gen=$(md5sum "$GEN" | cut -c1-12)"
  if [ "$(cat "$SITE/.key" 2>/dev/null)" != "$KEY" ]; then
    [ -e "$SITE" ] && trash "$SITE"
    echo "generating $SITE ($N articles, $R records)…" >&2
    g0=$(date +%s)
    python3 "$GEN" "$SITE" --articles "$N" --records "$R"
    echo "$KEY" > "$SITE/.key"
    echo "  generated in $(( $(date +%s) - g0 )) s" >&2
    [ -e "$WORK/warm-$N" ] && trash "$WORK/warm-$N"
  fi
  [ "${GENERATE_ONLY:-}" = 1 ] && continue
  wait_after_delete
  echo "size $N: $SITE" >&2
  for i in $(seq 1 "$RUNS"); do run "$N" check "$i" "$JIANBAO" check "$SITE"; done
  FRESH="$WORK/fresh-$$-$N"
  for i in $(seq 1 "$RUNS"); do
    mkdir -p "$FRESH/$i"
    run "$N" fresh "$i" "$JIANBAO" build -q "$SITE" -o "$FRESH/$i/out"
  done
  if [ ! -d "$WORK/warm-$N" ] && [ -d "$FRESH/1/out" ]; then mv "$FRESH/1" "$WORK/warm-$N"; fi
  mkdir -p "$WORK/warm-$N"
  run "$N" prime 1 "$JIANBAO" build -q "$SITE" -o "$WORK/warm-$N/out"
  for i in $(seq 1 "$RUNS"); do run "$N" warm "$i" "$JIANBAO" build -q "$SITE" -o "$WORK/warm-$N/out"; done
  in_files=$(find "$SITE/content" -type f | wc -l)
  in_mb=$(du -sm "$SITE/content" | cut -f1)
  out_files=$(find "$WORK/warm-$N/out" -type f 2>/dev/null | wc -l)
  out_mb=$(du -sm "$WORK/warm-$N/out" 2>/dev/null | cut -f1)
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$N" "$R" "$in_files" "$in_mb" "$out_files" "${out_mb:-0}" >> "$INFO"
  [ -d "$FRESH" ] && trash "$FRESH"
done

[ "${GENERATE_ONLY:-}" = 1 ] && exit 0
python3 - "$RESULTS" "$INFO" <<'EOF'
import statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().splitlines()]
info = {l.split("\t")[0]: l.split("\t") for l in open(sys.argv[2]).read().splitlines()}
print("\njianbao scale (gen_site.py --articles N --records 10N)\n")
print("| articles | phase | run | wall s | peak RSS MB | machine at start |")
print("| ---: | --- | --- | ---: | ---: | --- |")
for r in rows:
    if r[3] == "FAIL":
        print(f"| {r[0]} | {r[1]} | {r[2]} | FAILED (exit {r[4]}) | | {r[5]} |")
    else:
        print(f"| {r[0]} | {r[1]} | {r[2]} | {float(r[3]):.2f} | {int(r[4]) / 1024:.0f} | {r[5]} |")
print()
print("| articles | records | input files / MB | output files / MB | phase | median wall s | ms per article | median peak RSS MB |")
print("| ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |")
for n, i in info.items():
    for phase in ("check", "fresh", "warm"):
        ok = [r for r in rows if r[0] == n and r[1] == phase and r[3] != "FAIL"]
        if not ok:
            print(f"| {n} | {i[1]} | {i[2]} / {i[3]} | {i[4]} / {i[5]} | {phase} | FAILED | | |")
            continue
        w = statistics.median(float(r[3]) for r in ok)
        m = statistics.median(int(r[4]) for r in ok)
        print(f"| {n} | {i[1]} | {i[2]} / {i[3]} | {i[4]} / {i[5]} | {phase} | {w:.2f} | {1000 * w / int(n):.3f} "
              f"| {m / 1024:.0f} |")
EOF
mv "$RESULTS" "$WORK/last-results.tsv"
mv "$INFO" "$WORK/last-info.tsv"
