#!/usr/bin/env bash
# Batch-job benchmark: a CSV of ROWS rows scored by the bench MLP (x[batch,32] → y[batch,2]) or a tree model as a batch job through
# the platform (gateway → registry → chunks on RabbitMQ → inference workers → parts → merged output), with one worker
# and then two, each against an in-process loop that reads the same file and runs the same model in chunks of the same
# size in the same run; then real-time p99 at a fixed rate without and with a batch job running, and the batch rate
# while real-time runs and after it stops. Starts its own platform (temp run dir, free base port, its own RabbitMQ
# vhost and Redis database, raised rate limits) and stops it.
# Usage: bench/run-batch.sh [--rows N] [--chunk N] [--rate R] [--seconds S] [--skip-preempt] [--one-worker] [--model mlp|tree] [--trees N] [--perf DIR]
#   --one-worker: only the one-worker jobs (no second worker started)
#   --perf DIR: records the whole machine with Linux perf while the one-worker job runs (DIR/one-worker.data, JIT
#   symbols from /tmp/perf-PID.map): `perf report -i DIR/one-worker.data --sort comm,sym` shows where the CPU went.
#   --model tree: a tree ensemble (100 trees of depth 6, ai.onnx.ml TreeEnsembleRegressor, x[batch,32] → y[batch,1])
#   --trees N: the tree model with N trees (a model that costs more per row than the pipeline: workers are the limit)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

rows=1000000 chunk=1000 rate=100 seconds=10 preempt=1 model=mlp perf_dir="" two=1 trees=100
while (( $# > 0 )); do
  case "$1" in
    --rows) rows=$2; shift 2 ;;
    --chunk) chunk=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --skip-preempt) preempt=0; shift ;;
    --one-worker) two=0; shift ;;
    --model) model=$2; shift 2 ;;
    --trees) trees=$2; model=tree; shift 2 ;;
    --perf) perf_dir=$(realpath -m "$2"); shift 2 ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done

[[ "$model" == mlp || "$model" == tree ]] || { echo "--model must be mlp or tree" >&2; exit 2; }
export ORBIT_BENCH_MODEL=$model ORBIT_BENCH_TREES=$trees

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
listening 5672 && listening 6379 || { echo "RabbitMQ or Redis is not running: ./orbit deps" >&2; exit 2; }

echo "building the bench (Release)" >&2
dotnet build bench/Orbit.Batch.Bench -c Release --nologo -v q -clp:ErrorsOnly >&2
bench_dll="$root/bench/Orbit.Batch.Bench/bin/Release/net10.0/Orbit.Batch.Bench.dll"

work=$(mktemp -d /tmp/orbit-batch-bench.XXXXXX)
vhost="orbit-bench-$(basename "$work" | cut -d. -f2)"
redis_db=6
platform_started=0 vhost_created=0 rabbit_url=""

free_base_port() {
  local base
  for _ in $(seq 50); do
    base=$((20000 + RANDOM % 20000))
    if ! listening "$base" && ! listening $((base + 1)) && ! listening $((base + 2)) && ! listening $((base + 3)) && ! listening $((base + 10)) && ! listening $((base + 11)); then
      echo "$base"; return 0
    fi
  done
  return 1
}

platform_env() {
  env ORBIT_RUN_DIR="$work/run" ORBIT_BASE_PORT="$base_port" ASPNETCORE_ENVIRONMENT=Production \
    Orbit__Logging__Level=Warning Orbit__Gateway__RateLimitPerSecond=1000000 Orbit__Gateway__RateLimitBurst=1000000 \
    Orbit__Redis__Configuration="${ORBIT_REDIS:-127.0.0.1:6379},defaultDatabase=$redis_db" \
    ${rabbit_url:+Orbit__RabbitMq__Url="$rabbit_url"} \
    ${perf_dir:+DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0} "$@"
}

cleanup() {
  set +e
  if (( platform_started )); then
    platform_env ./orbit down >&2
    redis-cli -n "$redis_db" flushdb >/dev/null 2>&1
  fi
  (( vhost_created )) && rabbitmqctl -q delete_vhost "$vhost" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "writing the model and a CSV of $rows rows" >&2
dotnet "$bench_dll" prepare "$work/data" "$rows"

base_port=$(free_base_port) || { echo "no free base port found" >&2; exit 1; }
if [[ -z "${ORBIT_RABBITMQ:-}" ]] && rabbitmqctl -q add_vhost "$vhost" >/dev/null 2>&1; then
  vhost_created=1
  rabbitmqctl -q set_permissions -p "$vhost" guest '.*' '.*' '.*' >/dev/null
  rabbit_url="amqp://guest:guest@127.0.0.1:5672/$vhost"
fi
echo "starting the platform on base port $base_port with one worker" >&2
platform_started=1
platform_env ./orbit up --workers 1 >&2
gateway="http://127.0.0.1:$base_port"
key=$(cat "$work/run/admin.key")
platform_env ./orbit models push "bench-$model" "$work/data/bench-$model.onnx" --metadata "$work/data/bench-$model.metadata.json" >&2
platform_env ./orbit deploy "bench-$model" --stable 1 >&2
sleep 5

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores" >&2
echo
echo "| workers | rows | chunk | in-process loop (same run) | platform batch job (submit → completed) | ratio |"
echo "|---|---|---|---|---|---|"
perf_pid=""
if [[ -n "$perf_dir" ]]; then
  mkdir -p "$perf_dir"
  perf record -F 999 -g -a -o "$perf_dir/one-worker.data" >"$perf_dir/one-worker.log" 2>&1 &
  perf_pid=$!
fi
platform_env ORBIT_BENCH_RABBITMQ_PID="$(pgrep -o beam.smp || true)" dotnet "$bench_dll" throughput "$work/data" "$rows" "$gateway" "$key" "1 worker" "$chunk"
if [[ -n "$perf_pid" ]]; then kill -INT "$perf_pid"; wait "$perf_pid" || true; fi
if (( two )); then
  platform_env ./orbit scale workers 2 >&2
  sleep 8
  platform_env ORBIT_BENCH_RABBITMQ_PID="$(pgrep -o beam.smp || true)" dotnet "$bench_dll" throughput "$work/data" "$rows" "$gateway" "$key" "2 workers" "$chunk"
fi

if (( preempt )); then
  # A job six times as large, so it runs through both the shared window and the one after.
  dotnet "$bench_dll" prepare "$work/data" $((rows * 6))
  platform_env ./orbit scale workers 1 >&2
  sleep 3
  echo
  echo "| preemption (1 worker, $rate req/s real-time, ${seconds} s windows, batch job of $((rows * 6)) rows) | requests | p50 | p99 | |"
  echo "|---|---|---|---|---|"
  dotnet "$bench_dll" preempt "$work/data" $((rows * 6)) "$gateway" "$key" "$rate" "$seconds"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
