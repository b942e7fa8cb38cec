#!/usr/bin/env bash
# Worker statistics overhead on the running platform, in one run: one platform, two workers serving the benchmark MLP
# (32 features with a baseline, 2 classes), worker 1 with statistics on (the default: windows and every request's
# prediction log) and worker 2 with them off; RabbitMQ shares the requests between them while the generator drives
# the gateway at concurrency 64. Each worker's CPU seconds (from /proc) over the requests it served
# (orbit_inference_request_duration_seconds_count on its /metrics) give its CPU time per request; the ratio on/off
# is the statistics' cost in the deployed worker, bus consume, decode and reply included. Each round prints its own
# ratio; the summary gives the medians and the ratio of the totals over the rounds after the first (JIT warm-up).
# Usage: bench/run-statistics.sh platform [--concurrency 64] [--duration 20] [--warmup 3] [--rounds 3] [--log-rate R]
# --log-rate sets worker 1's PredictionLogSampleRate (default 1.0, every request logged; 0: the windows alone).
# --calibrate turns worker 1's statistics off too: the ratio then shows what the two workers differ by on their own.
# --env VAR=value (repeatable) sets more environment for every service, both workers alike (e.g. runtime settings).
# --perf DIR records both workers with Linux perf for 10 s of round 2 (DIR/worker-1.data, worker-2.data; JIT symbols
# from /tmp/perf-PID.map): `perf report -i DIR/worker-1.data --children --sort sym -g none` shows where the CPU went.
set -euo pipefail
cd "$(dirname "$0")/.."
concurrency=64 duration=20 warmup=3 rounds=3 log_rate=1.0 calibrate=0 more_env=() perf_dir=""
while (( $# )); do
  case $1 in
    --concurrency) concurrency=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --log-rate) log_rate=$2; shift 2 ;;
    --calibrate) calibrate=1; shift ;;
    --env) more_env+=("$2"); shift 2 ;;
    --perf) perf_dir=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d /tmp/orbit-bench-stats.XXXXXX) redis_db=13
extra_env=("Orbit__Worker__Statistics__PredictionLogSampleRate=$log_rate")
(( calibrate )) && extra_env+=("Orbit__Worker__Statistics__Enabled=false")
extra_env+=(${more_env[@]+"${more_env[@]}"})
[ -n "$perf_dir" ] && mkdir -p "$perf_dir" && extra_env+=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0)
# shellcheck source=bench/own-platform.sh
. bench/own-platform.sh
require_servers
trap 'stop_platform; rm -rf "$work"' EXIT
echo "building the inference bench (Release)" >&2
dotnet build bench/Orbit.Inference.Bench -c Release --nologo -v q -clp:ErrorsOnly >&2
bench="dotnet bench/Orbit.Inference.Bench/bin/Release/net10.0/Orbit.Inference.Bench.dll"
$bench models "$work/models" >&2
start_platform "$PWD" stats
key=$(cat "$work/run/admin.key")

# The MLP's 32 inputs as features with a baseline (deciles of N(0,1)) and its 2 outputs as classes.
edges="[-1.2816,-0.8416,-0.5244,-0.2533,0,0.2533,0.5244,0.8416,1.2816]"
features=$(for i in $(seq 0 31); do printf '{"name":"f%d","type":"numeric"},' "$i"; done)
baselines=$(for i in $(seq 0 31); do printf '"f%d":{"binEdges":%s,"counts":[10,10,10,10,10,10,10,10,10,10]},' "$i" "$edges"; done)
cat >"$work/metadata.json" <<JSON
{"features":[${features%,}],"classes":["0","1"],
 "baseline":{"rows":100,"features":{${baselines%,}},"predictions":{"frequencies":{"0":50,"1":50}}}}
JSON
platform_env ./orbit models push bench-mlp "$work/models/bench-mlp.onnx" --metadata "$work/metadata.json" >&2
platform_env ./orbit deploy bench-mlp --stable 1 >&2
platform_env env Orbit__Worker__Statistics__Enabled=false ./orbit scale workers 2 >&2
for _ in $(seq 120); do
  loaded=$(curl -fsS -H "Authorization: Bearer $key" "http://127.0.0.1:$base_port/v1/workers" | grep -o '"modelName":"bench-mlp"' | wc -l || true)
  [ "$loaded" -ge 2 ] && break
  sleep 0.5
done
[ "$loaded" -ge 2 ] || { echo "the two workers did not both load bench-mlp" >&2; exit 1; }

pid_of() { cat "$work/run/pids/inference-worker-$1.pid"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$(pid_of "$1")/stat"; }
served() {
  curl -fsS "http://127.0.0.1:$((base_port + 9 + $1))/metrics" \
    | awk '/^orbit_inference_request_duration_seconds_count/ { n += $NF } END { printf "%d\n", n }'
}
hz=$(getconf CLK_TCK)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores" >&2
printf '| round | load (req/s, p50, p99) | worker | statistics | requests | CPU s | CPU µs / request | on / off |\n|---|---|---|---|---:|---:|---:|---:|\n'
declare -a on_us off_us ratios
# Totals over the rounds after the first (which still carries both workers' JIT and first-request work).
t1=0 t2=0 m1=0 m2=0
for round in $(seq "$rounds"); do
  c1=$(cpu_ticks 1) c2=$(cpu_ticks 2) r1=$(served 1) r2=$(served 2)
  if [ -n "$perf_dir" ] && (( round == 2 )); then
    for w in 1 2; do perf record -F 999 -g -p "$(pid_of $w)" -o "$perf_dir/worker-$w.data" -- sleep 10 >"$perf_dir/worker-$w.log" 2>&1 & done
  fi
  figures=$($bench load --platform "http://127.0.0.1:$base_port" --key "$key" --model mlp --concurrency "$concurrency" --duration "$duration" --warmup "$warmup")
  d1=$(( $(cpu_ticks 1) - c1 )) d2=$(( $(cpu_ticks 2) - c2 )) n1=$(( $(served 1) - r1 )) n2=$(( $(served 2) - r2 ))
  u1=$(awk -v t="$d1" -v n="$n1" -v hz="$hz" 'BEGIN { printf "%.1f", n ? t / hz / n * 1e6 : 0 }')
  u2=$(awk -v t="$d2" -v n="$n2" -v hz="$hz" 'BEGIN { printf "%.1f", n ? t / hz / n * 1e6 : 0 }')
  ratio=$(awk -v a="$u1" -v b="$u2" 'BEGIN { printf "%.3f", (b > 0) ? a / b : 0 }')
  on_us+=("$u1") off_us+=("$u2") ratios+=("$ratio")
  if (( round > 1 || rounds == 1 )); then
    t1=$((t1 + d1)) t2=$((t2 + d2)) m1=$((m1 + n1)) m2=$((m2 + n2))
  fi
  printf '| %d | %s | 1 | %s | %d | %.2f | %s | %s |\n' "$round" "$figures" "$( (( calibrate )) && echo off || echo on)" "$n1" "$(awk -v t="$d1" -v hz="$hz" 'BEGIN{print t/hz}')" "$u1" "$ratio"
  printf '| %d | | 2 | off | %d | %.2f | %s | |\n' "$round" "$n2" "$(awk -v t="$d2" -v hz="$hz" 'BEGIN{print t/hz}')" "$u2"
done
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
on=$(median "${on_us[@]}") off=$(median "${off_us[@]}")
echo
echo "median CPU per request: statistics on (prediction log rate $log_rate) $on µs, off $off µs; on/off = $(awk -v a="$on" -v b="$off" 'BEGIN { printf "%.3f", b ? a / b : 0 }')"
echo "median of the rounds' on/off ratios: $(median "${ratios[@]}")"
echo "rounds 2-$rounds together: on $(awk -v t="$t1" -v n="$m1" -v hz="$hz" 'BEGIN { printf "%.1f", n ? t / hz / n * 1e6 : 0 }') µs, off $(awk -v t="$t2" -v n="$m2" -v hz="$hz" 'BEGIN { printf "%.1f", n ? t / hz / n * 1e6 : 0 }') µs per request; on/off = $(awk -v a="$t1" -v b="$m1" -v c="$t2" -v d="$m2" 'BEGIN { printf "%.3f", (b && c && d) ? (a / b) / (c / d) : 0 }')"
# What worker 1's statistics did: requests logged, windows published, requests left out (by reason).
curl -fsS "http://127.0.0.1:$((base_port + 10))/metrics" | grep -E '^orbit_(statistics|predictions_log)' | sed 's/^/worker 1: /' || true
wait
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
