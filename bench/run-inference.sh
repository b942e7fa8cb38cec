#!/usr/bin/env bash
# Real-time inference benchmark: the platform's OIP v2 endpoint (gateway → RabbitMQ → one inference worker with
# dynamic batching) beside an in-process ASP.NET Core baseline serving the same models through Orbit.Onnx, driven by
# the same closed-loop generator. Starts its own platform (temp run dir, free base port, its own RabbitMQ vhost and
# Redis database, raised rate limits) and its own baseline, prints a markdown table per model, stops everything.
# With the platform, the same load also goes to the gateway's gRPC endpoint (raw_input_contents), in a table of its own
# against the same baseline figures. Each model's last table gives the CPU seconds that each process (generator,
# gateway, worker, baseline, RabbitMQ, Redis) and the whole host used in every row's measured window.
# Usage: bench/run-inference.sh [--duration S] [--warmup S] [--concurrency "1 8 64"] [--models "mlp conv"] [--baseline-only]
#        bench/run-inference.sh --async [--duration S] [--warmup S]   asynchronous predictions against the synchronous path (MLP, concurrency 64)
#        bench/run-inference.sh --rest-binary [--duration S] [--warmup S] [--concurrency "1 64"]   the "REST binary" row: an image-sized
#          input x[1,3,224,224] FP32 to the platform as JSON and as OIP binary tensor data, beside the baseline sent the binary body
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

duration=10 warmup=3 concurrency="1 8 64" models="mlp conv" baseline_only=0 async=0 rest_binary=0 concurrency_given=0
while (( $# > 0 )); do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --concurrency) concurrency=$2; concurrency_given=1; shift 2 ;;
    --models) models=$2; shift 2 ;;
    --baseline-only) baseline_only=1; shift ;;
    # The bench's tenant may ask for real-time priority, so the same run can measure predictions sharing the real-time queue.
    --async) async=1; models=mlp; export Orbit__Predictions__TenantMaxPriority__admin=9; shift ;;
    --rest-binary) rest_binary=1; models=image; shift ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
(( rest_binary && ! concurrency_given )) && concurrency="1 64"

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
missing=()
listening 5672 || missing+=("RabbitMQ on 127.0.0.1:5672")
listening 6379 || missing+=("Redis on 127.0.0.1:6379")
if (( ${#missing[@]} > 0 )); then
  printf 'missing: %s\n' "${missing[@]}" >&2
  echo "run ./orbit deps" >&2
  exit 2
fi

echo "building the bench and the baseline (Release)" >&2
dotnet build bench/Orbit.Inference.Bench -c Release --nologo -v q -clp:ErrorsOnly >&2
dotnet build bench/Orbit.Inference.Baseline -c Release --nologo -v q -clp:ErrorsOnly >&2
bench_dll="$root/bench/Orbit.Inference.Bench/bin/Release/net10.0/Orbit.Inference.Bench.dll"
baseline_dir="$root/bench/Orbit.Inference.Baseline/bin/Release/net10.0"

work=$(mktemp -d /tmp/orbit-inference-bench.XXXXXX)
vhost="orbit-bench-$(basename "$work" | cut -d. -f2)"
redis_db=7 # apart from a developer's (0), the in-process tests' (9) and the end-to-end tests' (10–15)
baseline_pid="" platform_started=0 vhost_created=0

# A base port whose gateway (REST and gRPC), registry, drift monitor, retrainer and first worker ports are all free.
free_base_port() {
  local base
  for _ in $(seq 50); do
    base=$((20000 + RANDOM % 20000))
    if ! listening "$base" && ! listening $((base + 1)) && ! listening $((base + 2)) && ! listening $((base + 3)) && ! listening $((base + 4)) && ! listening $((base + 10)); then
      echo "$base"; return 0
    fi
  done
  return 1
}

platform_env() {
  env ORBIT_RUN_DIR="$work/run" ORBIT_BASE_PORT="$base_port" ASPNETCORE_ENVIRONMENT=Production \
    Orbit__Logging__Level=Warning Orbit__Gateway__RateLimitPerSecond=1000000 Orbit__Gateway__RateLimitBurst=1000000 \
    Orbit__Redis__Configuration="${ORBIT_REDIS:-127.0.0.1:6379},defaultDatabase=$redis_db" \
    ${rabbit_url:+Orbit__RabbitMq__Url="$rabbit_url"} "$@"
}

cleanup() {
  local status=$?
  set +e
  if (( status != 0 && platform_started )); then
    for log in "$work"/run/logs/{gateway,inference-worker-1}.log; do
      echo "--- last lines of $(basename "$log")" >&2; tail -n 20 "$log" | cut -c1-600 >&2
    done
  fi
  [[ -n "$baseline_pid" ]] && kill "$baseline_pid" 2>/dev/null && wait "$baseline_pid" 2>/dev/null
  if (( platform_started )); then
    platform_env ./orbit down >&2
    redis-cli -n "$redis_db" flushdb >/dev/null 2>&1
  fi
  (( vhost_created )) && rabbitmqctl -q delete_vhost "$vhost" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_for() { # URL [CURL ARGS...]: until it answers {"ready":true}, for up to 90 s
  local url=$1; shift
  for _ in $(seq 180); do
    curl -fsS -m 2 "$@" "$url" 2>/dev/null | grep -q '"ready":true' && return 0
    sleep 0.5
  done
  echo "no ready answer from $url" >&2; return 1
}

dotnet "$bench_dll" models "$work/models"

run_args=(run --duration "$duration" --warmup "$warmup" --concurrency "$concurrency" --models "$models")
if (( ! baseline_only )); then
  base_port=$(free_base_port) || { echo "no free base port found" >&2; exit 1; }
  rabbit_url=""
  if [[ -z "${ORBIT_RABBITMQ:-}" ]] && rabbitmqctl -q add_vhost "$vhost" >/dev/null 2>&1; then
    vhost_created=1
    rabbitmqctl -q set_permissions -p "$vhost" guest '.*' '.*' '.*' >/dev/null
    rabbit_url="amqp://guest:guest@127.0.0.1:5672/$vhost"
  else
    echo "warning: no vhost of its own; the platform shares the broker's default vhost" >&2
  fi
  echo "starting the platform on base port $base_port (run dir $work/run)" >&2
  platform_started=1
  platform_env ./orbit up --workers 1 >&2
  gateway="http://127.0.0.1:$base_port"
  key=$(cat "$work/run/admin.key")
  for model in $models; do
    platform_env ./orbit models push "bench-$model" "$work/models/bench-$model.onnx" >&2
    platform_env ./orbit deploy "bench-$model" --stable 1 >&2
    wait_for "$gateway/v2/models/bench-$model/versions/1/ready" -H "Authorization: Bearer $key"
  done
  run_args+=(--platform "$gateway" --key "$key" --grpc "http://127.0.0.1:$((base_port + 4))")
  if (( async )); then
    echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores" >&2
    dotnet "$bench_dll" async --platform "$gateway" --key "$key" --amqp "${rabbit_url:-amqp://guest:guest@127.0.0.1:5672/%2F}" \
      --concurrency 64 --duration "$duration" --warmup "$warmup"
    echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    exit 0
  fi
fi

baseline_port=$(free_base_port) || { echo "no free port for the baseline" >&2; exit 1; }
(cd "$baseline_dir" && exec env ASPNETCORE_ENVIRONMENT=Production dotnet Orbit.Inference.Baseline.dll --urls "http://127.0.0.1:$baseline_port" \
  --model "bench-mlp=$work/models/bench-mlp.onnx" --model "bench-conv=$work/models/bench-conv.onnx" --model "bench-image=$work/models/bench-image.onnx" \
  >"$work/baseline.log" 2>&1) &
baseline_pid=$!
wait_for "http://127.0.0.1:$baseline_port/v2/health/ready" || { cat "$work/baseline.log" >&2; exit 1; }
run_args+=(--baseline "http://127.0.0.1:$baseline_port")

# The processes whose CPU seconds each row reports (the generator measures its own).
cpu_pids="baseline=$baseline_pid"
if (( ! baseline_only )); then
  cpu_pids="gateway=$(cat "$work/run/pids/gateway.pid") worker=$(cat "$work/run/pids/inference-worker-1.pid") $cpu_pids"
  rabbit_pid=$(pgrep -o beam.smp || true) redis_pid=$(pgrep -o -f "redis-server .*:${ORBIT_REDIS_PORT:-6379}" || true)
  [[ -n "$rabbit_pid" ]] && cpu_pids+=" rabbitmq=$rabbit_pid"
  [[ -n "$redis_pid" ]] && cpu_pids+=" redis=$redis_pid"
fi
run_args+=(--cpu "$cpu_pids")

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores" >&2
if (( rest_binary && ! baseline_only )); then
  dotnet "$bench_dll" rest-binary --platform "$gateway" --key "$key" --baseline "http://127.0.0.1:$baseline_port" \
    --concurrency "$concurrency" --duration "$duration" --warmup "$warmup" --cpu "$cpu_pids"
else
  dotnet "$bench_dll" "${run_args[@]}"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
if (( ! baseline_only )); then
  echo "platform logs (level Warning and above) after the run:" >&2
  for log in "$work"/run/logs/*.log; do
    echo "  $(basename "$log"): $(wc -l <"$log") lines" >&2
    tail -n 3 "$log" | cut -c1-400 | sed 's/^/    /' >&2
  done
fi
