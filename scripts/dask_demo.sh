#!/usr/bin/env bash
# A Dask cluster on this machine that behaves like a real one: a scheduler and two workers that
# cannot see the batch's folders, then `smmkit run --executor dask` against it (issue 11).
#
#   scripts/dask_demo.sh [--kill] [smmkit run options ...]      (default: the demo clients, 28d to 2026-10-31)
#
# Each worker starts in an empty working folder; as root with `unshare`, each runs in a mount
# namespace of its own in which the clients folder, the notebooks folder and the output folder
# are covered by an empty tmpfs (the kit itself, .venv, stays visible: workers need it installed).
# --kill kills the first worker (nanny and all) a few seconds into the run: its clients are rerun
# on the other one. PORT (default 8786) and OUT (default reports-dask) set the scheduler's port and
# the output folder.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/.venv/bin
PORT=${PORT:-8786}
OUT=$(realpath -m "${OUT:-reports-dask}")
KILL=0
if [ "${1:-}" = "--kill" ]; then KILL=1; shift; fi
[ $# -gt 0 ] || set -- --clients-dir data/clients --window 28d --end 2026-10-31 --force
[ -x "$BIN/dask" ] || { echo "error: run make install first (.venv/bin/dask missing)"; exit 2; }

mkdir -p "$OUT"
WORK=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

"$BIN/dask" scheduler --host 127.0.0.1 --port "$PORT" --no-dashboard >"$WORK/scheduler.log" 2>&1 &
PIDS+=($!)

HIDE=""
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
    HIDE="mount -t tmpfs none '$ROOT/data' && mount -t tmpfs none '$ROOT/notebooks' && mount -t tmpfs none '$OUT' &&"
    echo "workers: own mount namespaces; data/, notebooks/ and $OUT are empty there"
else
    echo "workers: an empty working folder (run as root with unshare to hide the batch's folders too)"
fi
for i in 1 2; do
    mkdir -p "$WORK/worker$i"
    cmd="$HIDE cd '$WORK/worker$i' && exec '$BIN/dask' worker tcp://127.0.0.1:$PORT --nthreads 1 --name worker$i"
    if [ -n "$HIDE" ]; then
        unshare -m sh -c "$cmd" >"$WORK/worker$i.log" 2>&1 &
    else
        sh -c "$cmd" >"$WORK/worker$i.log" 2>&1 &
    fi
    PIDS+=($!)
done
sleep 5

if [ "$KILL" = 1 ]; then
    victim=${PIDS[1]}
    (sleep 15; echo "killing worker1 (nanny $victim and its worker)"; pkill -KILL -P "$victim"; kill -KILL "$victim") &
fi
status=0
"$BIN/smmkit" run --executor dask --scheduler "tcp://127.0.0.1:$PORT" --out "$OUT" "$@" || status=$?
[ "$status" = 0 ] || tail -n 20 "$WORK"/*.log
exit "$status"
