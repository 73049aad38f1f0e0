#!/usr/bin/env bash
# jianbao vs Hugo on the same plain Chinese Markdown corpus (benches/plain_corpus.py).
#
#   benches/vs_hugo.sh [N=10000] [RUNS=5]
#
# Environment: JIANBAO (binary; default target/release/jianbao of this repo),
#              BENCH_DIR (work folder; default /tmp/jianbao-bench/vs-hugo-N), SEED (default 1).
#
# What is timed (wall seconds and peak RSS, from /usr/bin/time -f "%e %M"):
#   fresh  one build of each tool into a new, empty output folder (first thing after generation);
#   warm   RUNS builds of each, alternating jianbao/hugo, each into its own persistent output
#          folder that it rebuilds in place. jianbao keeps a spare generation beside its output
#          and writes only the files whose bytes changed, then swaps by rename; Hugo rewrites every
#          file into the same folder. One untimed-in-the-ratio "prime" build of each comes first
#          (for jianbao it is the build that creates the spare generation).
# The ratio printed is median(hugo) / median(jianbao), for wall time, warm and fresh.
#
# The filesystem here is slow to create files for ~70 s after a mass delete, so this script
# deletes nothing before or between timed runs: old output goes to a trash folder that is
# removed at the very end, and a later run waits until 75 s have passed since that delete.
set -euo pipefail

N=${1:-10000}
RUNS=${2:-5}
SEED=${SEED:-1}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
JIANBAO=${JIANBAO:-$REPO/target/release/jianbao}
WORK=${BENCH_DIR:-/tmp/jianbao-bench/vs-hugo-$N}
TIME=/usr/bin/time

[ -x "$JIANBAO" ] || { echo "no jianbao binary at $JIANBAO (cargo build --release)" >&2; exit 2; }
[ -x "$TIME" ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time; }
if ! command -v hugo >/dev/null; then
  echo "installing hugo (apt-get)…" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >/dev/null
fi

. "$HERE/lib.sh"
trap 'empty_trash; rm -f "$JIANBAO"' EXIT

# --- corpus, generated once per (N, seed, generator) ---------------------------------------
CORPUS="$WORK/corpus"
KEY="n=$N seed=$SEED gen=$(md5sum "$HERE/plain_corpus.py" | cut -c1-12)"
if [ "$(cat "$CORPUS/.key" 2>/dev/null)" != "$KEY" ]; then
  [ -e "$CORPUS" ] && trash "$CORPUS"
  echo "generating $N articles into $CORPUS…" >&2
  python3 "$HERE/plain_corpus.py" "$CORPUS" --articles "$N" --seed "$SEED" >&2
  echo "$KEY" > "$CORPUS/.key"
  # The warm output folders belong to the old corpus; start them over.
  [ -e "$WORK/warm" ] && trash "$WORK/warm"
fi
wait_after_delete

RESULTS="$WORK/results-$$.tsv"
: > "$RESULTS"
run() { # run TOOL PHASE I OUTDIR
  local tool=$1 phase=$2 i=$3 out=$4 t="$WORK/.time-$$" rc=0
  sync
  busy=$(busy)
  case $tool in
    jianbao) "$TIME" -f "%e %M" -o "$t" "$JIANBAO" build -q "$CORPUS/jianbao" -o "$out" || rc=$? ;;
    hugo)    "$TIME" -f "%e %M" -o "$t" hugo --quiet -s "$CORPUS/hugo" -d "$out" || rc=$? ;;
  esac
  if [ "$rc" != 0 ]; then echo "$tool build failed (exit $rc):" >&2; cat "$t" >&2; exit 1; fi
  read -r wall rss < <(tail -n 1 "$t")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$phase" "$i" "$wall" "$rss" "$busy" >> "$RESULTS"
  printf '  %-8s %-6s %-2s %7.2f s %8.0f MB  %s\n' "$tool" "$phase" "$i" "$wall" "$((rss / 1024))" "$busy" >&2
}

echo "jianbao: $JIANBAO ($("$JIANBAO" --version))" >&2
describe_binary
echo "hugo:    $(hugo version)" >&2
echo "corpus:  $CORPUS ($N articles, seed $SEED)" >&2
if pgrep -x rustc >/dev/null || pgrep -x cargo >/dev/null; then
  echo "warning: cargo/rustc is running on this machine; the timings will be noisy" >&2
fi

# --- fresh: each tool into a new empty folder ---------------------------------------------
FRESH="$WORK/fresh-$$"
mkdir -p "$FRESH/jianbao" "$FRESH/hugo"
run jianbao fresh 1 "$FRESH/jianbao/site"
run hugo fresh 1 "$FRESH/hugo/site"

# --- warm: persistent folders rebuilt in place, alternating ---------------------------------
mkdir -p "$WORK/warm"
for tool in jianbao hugo; do
  if [ ! -d "$WORK/warm/$tool" ]; then mv "$FRESH/$tool" "$WORK/warm/$tool"; fi
done
run jianbao prime 1 "$WORK/warm/jianbao/site"
run hugo prime 1 "$WORK/warm/hugo/site"
for i in $(seq 1 "$RUNS"); do
  run jianbao warm "$i" "$WORK/warm/jianbao/site"
  run hugo warm "$i" "$WORK/warm/hugo/site"
done

echo >&2
echo "output files: jianbao $(find "$WORK/warm/jianbao/site" -type f | wc -l) ($(du -sm "$WORK/warm/jianbao/site" | cut -f1) MB)," \
     "hugo $(find "$WORK/warm/hugo/site" -type f | wc -l) ($(du -sm "$WORK/warm/hugo/site" | cut -f1) MB)"

python3 - "$RESULTS" "$N" "$RUNS" <<'EOF'
import statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().splitlines()]
n, runs = sys.argv[2], sys.argv[3]
def sel(tool, phase):
    return [(float(r[3]), int(r[4]) / 1024) for r in rows if r[0] == tool and r[1] == phase]
print(f"\njianbao vs hugo, {n} articles, {runs} warm runs each (alternating)\n")
print("| tool | phase | run | wall s | peak RSS MB | machine at start |")
print("| --- | --- | --- | ---: | ---: | --- |")
for r in rows:
    print(f"| {r[0]} | {r[1]} | {r[2]} | {float(r[3]):.2f} | {int(r[4]) / 1024:.0f} | {r[5]} |")
print()
print("| phase | jianbao wall s | hugo wall s | hugo/jianbao | jianbao RSS MB | hugo RSS MB |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for phase, label in (("warm", "warm output dir (median)"), ("fresh", "fresh empty dir (1 run)")):
    j, h = sel("jianbao", phase), sel("hugo", phase)
    jw, hw = statistics.median(x[0] for x in j), statistics.median(x[0] for x in h)
    jm, hm = statistics.median(x[1] for x in j), statistics.median(x[1] for x in h)
    ratio = hw / jw if jw > 0 else float("inf")
    print(f"| {label} | {jw:.2f} | {hw:.2f} | **{ratio:.2f}×** | {jm:.0f} | {hm:.0f} |")
EOF
mv "$RESULTS" "$WORK/last-results.tsv"
rm -f "$WORK/.time-$$"
# the fresh folders (unless they became the warm ones) go to the trash, deleted on exit
[ -d "$FRESH" ] && trash "$FRESH"
