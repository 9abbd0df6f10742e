#!/usr/bin/env bash
# Issue 16's measurement: wall time of one 16-trial sweep on 1 silo and on 2 silos (this tune process and one worker,
# one trial at a time each), through the neuralsharp command as a user runs it. By default the issue's own space on
# MNIST with tune's default epochs (27). Needs Debian's redis-server. Prints one line per run and the speed-ups;
# bench/NOTES.md keeps the figures.
#   DATA, EPOCHS, SPACE, SCHEDULER   the sweep
#   PRIME=0                          skip the priming runs: measure the first runs of a fresh build (no JIT profiles)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/NeuralSharp.Cli -c Release -v quiet -nologo >/dev/null
CLI=src/NeuralSharp.Cli/bin/Release/net10.0/NeuralSharp.Cli.dll
PORT=${PORT:-6397}
OUT=$(mktemp -d)
DATA=${DATA:-mnist}
EPOCHS=${EPOCHS:-27}
SPACE=${SPACE:-"lr=log(1e-4,1e-1); layers=64|128|64,32; optimizer=sgd|adam; batch=16|64"}
SCHEDULER=${SCHEDULER:-none}
PRIME=${PRIME:-1}
redis-server --port "$PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes >/dev/null
# the worker leaves the cluster (SIGTERM) before its Redis stops
trap 'if [ -n "${WORKER:-}" ]; then kill "$WORKER" 2>/dev/null; wait "$WORKER" 2>/dev/null; fi; redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true; rm -rf "$OUT"' EXIT
mkdir -p "$OUT"
# the command's own "Swept in S s" is the sweep alone (from the first trial call to the leaderboard); the wall time
# adds the process's start-up (the .NET runtime, Orleans, joining the cluster, reading the data) and its end
sweep() { dotnet "$CLI" tune --data "$DATA" --space "$SPACE" --trials 16 --epochs "$EPOCHS" --scheduler "$SCHEDULER" --concurrency 1 --out "$OUT/$1" "${@:2}" > "$OUT/$1.log"; }
swept() { grep -o "Swept in [0-9.]*" "$OUT/$1.log" | grep -o "[0-9.]*$"; }
seconds() { local start end; start=$(date +%s.%N); "$@"; end=$(date +%s.%N); echo "$end - $start" | bc; }
# a build's first runs have no start-up profile (StartupProfile: the multi-core JIT replays the last run's methods);
# a one-trial sweep in each mode records them, as any run after a user's first has them
prime() { dotnet "$CLI" tune --data "$DATA" --space "$SPACE" --trials 1 --epochs 1 --seed 1 --out "$OUT/prime" "$@" >/dev/null; }
[ "$PRIME" = 1 ] && prime
one=$(seconds sweep one)
echo "tune 16 trials data=$DATA epochs=$EPOCHS scheduler=$SCHEDULER silos=1 wall_seconds=$one sweep_seconds=$(swept one)"
dotnet "$CLI" worker --cluster "redis://127.0.0.1:$PORT" --concurrency 1 >/dev/null 2>&1 &
WORKER=$!
sleep 8
[ "$PRIME" = 1 ] && prime --cluster "redis://127.0.0.1:$PORT"
two=$(seconds sweep two --cluster "redis://127.0.0.1:$PORT")
echo "tune 16 trials data=$DATA epochs=$EPOCHS scheduler=$SCHEDULER silos=2 wall_seconds=$two sweep_seconds=$(swept two)"
cmp -s "$OUT/one/leaderboard.json" "$OUT/two/leaderboard.json" && echo "leaderboards identical" || echo "LEADERBOARDS DIFFER"
echo "speed-up wall $(echo "scale=2; $one / $two" | bc), sweep $(echo "scale=2; $(swept one) / $(swept two)" | bc)"
