#!/usr/bin/env bash
# Worker statistics overhead: the inference worker's serving services (routing table, model store, dynamic batcher,
# replies) driven in process on the benchmark MLP at concurrency 64, with statistics off, on without the prediction
# log, and on with every request logged (the default), in alternating rounds within one run. Prints a markdown table
# with each mode's mean time per request against "off". Needs RabbitMQ (the windows and logs go to its streams,
# named per run and deleted at the end).
# Usage: bench/run-statistics.sh [--concurrency 64] [--seconds 5] [--warmup 1] [--rounds 3] | bench/run-statistics.sh micro
#        bench/run-statistics.sh platform [...]   the same cost in the deployed worker: see bench/statistics-platform.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = platform ]; then
  shift
  exec bench/statistics-platform.sh "$@"
fi
(exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null || { echo "missing: RabbitMQ on 127.0.0.1:5672 (run ./orbit deps)" >&2; exit 2; }
echo "building the statistics bench (Release)" >&2
dotnet build bench/Orbit.Statistics.Bench -c Release --nologo -v q -clp:ErrorsOnly >&2
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores" >&2
dotnet bench/Orbit.Statistics.Bench/bin/Release/net10.0/Orbit.Statistics.Bench.dll "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
