# Shared by the benchmark scripts (sourced, not run). Expects JIANBAO (the binary), WORK (the
# script's folder) and REPO; pins a copy of the binary as JIANBAO (the original is JIANBAO_SRC)
# and sets up the trash folder. The caller's EXIT trap should call `empty_trash` and remove
# "$JIANBAO".

mkdir -p "$WORK"
# Run one fixed build throughout, even if target/release is rebuilt meanwhile.
cp "$JIANBAO" "$WORK/jianbao-under-test.$$"
JIANBAO_SRC=$JIANBAO
JIANBAO="$WORK/jianbao-under-test.$$"

# A mass delete slows file creation for everyone on this filesystem for about a minute: old
# outputs go to a trash folder deleted at exit, and the time of that delete is shared by the
# scripts so the next timed run waits it out.
STAMP=/tmp/jianbao-bench/.last-mass-delete
mkdir -p /tmp/jianbao-bench
TRASH="$WORK/trash-$$"
wait_after_delete() {
  [ -f "$STAMP" ] || return 0
  local left=$(( $(cat "$STAMP") + 75 - $(date +%s) ))
  if [ "$left" -gt 0 ]; then echo "waiting ${left}s after the last mass delete…" >&2; sleep "$left"; fi
}
trash() { mkdir -p "$TRASH"; mv "$1" "$TRASH/$(basename "$1")-$RANDOM"; }
empty_trash() {
  if [ -d "$TRASH" ]; then echo "deleting old outputs…" >&2; rm -rf "$TRASH"; date +%s > "$STAMP"; fi
}

# Whether a compiler was running when a run started (the machine has 2 cores).
busy() { if pgrep -x rustc >/dev/null || pgrep -x cargo >/dev/null; then echo "cargo busy"; else echo "idle"; fi; }

# Which binary is measured, for the log.
describe_binary() {
  echo "  copy of $JIANBAO_SRC built $(date -u -r "$JIANBAO_SRC" +%FT%TZ); repo at $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null)$(git -C "$REPO" diff --quiet HEAD -- src 2>/dev/null || echo ' + uncommitted src changes')" >&2
}
