#!/usr/bin/env bash
# Where one request's time goes at concurrency 1: starts its own platform (see own-platform.sh) with its traces
# exported over OTLP/HTTP to the bench process, serves the bench MLP, sends requests one after the other with their
# own trace ids, and prints the median of each hop (client → gateway → broker → worker → batcher → ONNX Runtime →
# reply). Also lists the broker's queues before and after the requests, to show the gateway's one reply queue.
# Usage: bench/run-breakdown.sh [--requests N] [--queue-delay-us N] [--compare DIR]
#   --queue-delay-us N  the worker's Orbit:Worker:MaxQueueDelayMicroseconds (default: the worker's own, 100)
#   --compare DIR       first measure the platform of another checkout (the code before a change), then this one.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

requests=300 compare="" queue_delay=""
while (( $# > 0 )); do
  case "$1" in
    --requests) requests=$2; shift 2 ;;
    --queue-delay-us) queue_delay=$2; shift 2 ;;
    --compare) compare=$(cd "$2" && pwd); shift 2 ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d /tmp/orbit-breakdown-bench.XXXXXX)
redis_db=5 # as bench/run-deploy.sh: apart from the other benches' (7) and the tests' (9–15)
. "$root/bench/own-platform.sh"
require_servers
trap cleanup_platform EXIT
trap 'exit 130' INT TERM

otlp_port=""
for _ in $(seq 50); do
  candidate=$((40000 + RANDOM % 20000))
  listening "$candidate" || { otlp_port=$candidate; break; }
done
[[ -n "$otlp_port" ]] || { echo "no free port for the OTLP receiver" >&2; exit 1; }
extra_env=(Orbit__Telemetry__OtlpEndpoint="http://127.0.0.1:$otlp_port" Orbit__Telemetry__OtlpProtocol=http/protobuf
  Orbit__Telemetry__TraceSampleRatio=1 OTEL_BSP_SCHEDULE_DELAY=1000)
[[ -n "$queue_delay" ]] && extra_env+=(Orbit__Worker__MaxQueueDelayMicroseconds="$queue_delay")

echo "building the bench (Release)" >&2
dotnet build bench/Orbit.Inference.Bench -c Release --nologo -v q -clp:ErrorsOnly >&2
bench_dll="$root/bench/Orbit.Inference.Bench/bin/Release/net10.0/Orbit.Inference.Bench.dll"
dotnet "$bench_dll" models "$work/models"

queues() { [[ -n "$vhost" ]] && rabbitmqctl -q list_queues -p "$vhost" name auto_delete arguments | sort || echo "(no vhost of its own)"; }

measure() {
  start_platform "$1" "$2"
  platform_env "$platform_root/orbit" models push bench-mlp "$work/models/bench-mlp.onnx" >&2
  platform_env "$platform_root/orbit" deploy bench-mlp --stable 1 >&2
  local key ready=0
  key=$(cat "$work/run/admin.key")
  for _ in $(seq 120); do
    curl -fsS -m 2 -H "Authorization: Bearer $key" "http://127.0.0.1:$base_port/v2/models/bench-mlp/versions/1/ready" 2>/dev/null | grep -q '"ready":true' && { ready=1; break; }
    sleep 0.5
  done
  (( ready )) || { echo "bench-mlp never became ready" >&2; return 1; }
  queues >"$work/$2-queues-before.txt"
  echo "[$2] load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores" >&2
  echo "### $2 ($(git -C "$platform_root" rev-parse --short HEAD))${queue_delay:+, MaxQueueDelayMicroseconds=$queue_delay}"
  dotnet "$bench_dll" breakdown --platform "http://127.0.0.1:$base_port" --key "$key" --otlp-port "$otlp_port" --requests "$requests"
  queues >"$work/$2-queues-after.txt"
  echo
  echo "queues (name, auto-delete) that appeared during the $requests requests and the 100 before them:"
  comm -13 "$work/$2-queues-before.txt" "$work/$2-queues-after.txt" | sed 's/^/    /'
  echo
  stop_platform
}

[[ -n "$compare" ]] && measure "$compare" before
measure "$root" this
