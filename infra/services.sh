# Sourced by ./orbit: starts, stops and reports the five services as background processes.
# Everything lives under $ORBIT_RUN_DIR (default .run/): logs/, pids/, data/.

# name|project folder|assembly|port offset from ORBIT_BASE_PORT
ORBIT_SERVICES=(
  "registry|services/registry|Orbit.Registry|1"
  "gateway|services/gateway|Orbit.Gateway|0"
  "drift-monitor|services/drift-monitor|Orbit.DriftMonitor|2"
  "retrainer|services/retrainer|Orbit.Retrainer|3"
)
WORKER="services/inference-worker|Orbit.InferenceWorker"
WORKER_PORT_OFFSET=10
# The gateway's gRPC Open Inference Protocol endpoint (HTTP/2 without TLS): ORBIT_BASE_PORT + 4 (8084).
GRPC_PORT_OFFSET=4

service_table() { # prints name|folder|assembly|port for every service, with N workers
  local workers=$1 entry i
  for entry in "${ORBIT_SERVICES[@]}"; do
    IFS='|' read -r name folder assembly offset <<<"$entry"
    echo "$name|$folder|$assembly|$((ORBIT_BASE_PORT + offset))"
  done
  for ((i = 1; i <= workers; i++)); do
    echo "inference-worker-$i|${WORKER%%|*}|${WORKER##*|}|$((ORBIT_BASE_PORT + WORKER_PORT_OFFSET + i - 1))"
  done
}

running_pid() { # prints the pid recorded for NAME when that process is alive and is ours
  local file="$ORBIT_RUN_DIR/pids/$1.pid" pid
  [ -f "$file" ] || return 1
  pid=$(cat "$file")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -qa "$2.dll" "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}

ready() { curl -fsS -m 2 "http://127.0.0.1:$1/health/ready" >/dev/null 2>&1; }

# What a service that is not ready says of itself: its readiness report names the failing check.
why_not_ready() {
  local report
  report=$(curl -sS -m 2 "http://127.0.0.1:$2/health/ready" 2>&1) || return 0
  echo "orbit: $1's readiness report: $report" >&2
}

# ORBIT_GPU=1 (./orbit up --gpu) builds with ONNX Runtime's CUDA package (Microsoft.ML.OnnxRuntime.Gpu.Linux, which
# needs CUDA 13 on the host) instead of the CPU one; without CUDA the workers fall back to cpu and say why.
orbit_build() {
  local gpu=()
  [ "${ORBIT_GPU:-}" = 1 ] && gpu=(-p:OrbitGpu=true)
  echo "orbit: building (Release${gpu[*]:+, GPU build of ONNX Runtime})"
  dotnet build "$ORBIT_ROOT/platform.slnf" -c Release "${gpu[@]}" --nologo -v q -clp:ErrorsOnly >"$ORBIT_CACHE/build.log" 2>&1 || {
    grep -E 'error' "$ORBIT_CACHE/build.log" | sort -u | head -n 30 >&2
    echo "orbit: build failed; full log: $ORBIT_CACHE/build.log" >&2
    return 1
  }
}

orbit_up() {
  local workers=1
  while [ $# -gt 0 ]; do
    case "$1" in
      --workers) workers=${2:-}; shift 2 ;;
      --workers=*) workers=${1#*=}; shift ;;
      --gpu) export ORBIT_GPU=1; shift ;;
      *) echo "orbit up: unknown option $1 (usage: ./orbit up [--workers N] [--gpu])" >&2; return 2 ;;
    esac
  done
  [[ "$workers" =~ ^[0-9]+$ ]] && [ "$workers" -ge 1 ] && [ "$workers" -le 32 ] || {
    echo "orbit up: --workers must be a whole number from 1 to 32, got '$workers'" >&2; return 2; }

  orbit_deps || return 1
  [ "${ORBIT_SKIP_BUILD:-}" = 1 ] || orbit_build || return 1
  mkdir -p "$ORBIT_RUN_DIR"/{logs,pids,data}
  chmod 700 "$ORBIT_RUN_DIR"
  ensure_admin_key

  local started=() name folder assembly port pid
  # The registry first: the others need it ready (keys, artifacts), and workers need a key it issues.
  while IFS='|' read -r name folder assembly port; do
    if [ "$name" = gateway ]; then
      ready_or_started registry && ensure_worker_key || return 1
    fi
    if pid=$(running_pid "$name" "$assembly"); then
      echo "orbit: $name already running (pid $pid)"
      continue
    fi
    start_service "$name" "$folder" "$assembly" "$port" || return 1
    started+=("$name|$port")
  done < <(service_table "$workers")

  local entry failed=0
  for entry in "${started[@]}"; do
    name=${entry%%|*}; port=${entry##*|}
    if ! wait_for "$name" "$ORBIT_RUN_DIR/logs/$name.log" "${ORBIT_READY_TIMEOUT:-90}" ready "$port"; then
      why_not_ready "$name" "$port"
      failed=1
    fi
  done
  alerting_up
  orbit_status
  [ $failed = 0 ] || { echo "orbit: some services are not ready; './orbit down' stops what was started" >&2; return 1; }
  echo "orbit: up. Gateway: http://127.0.0.1:$ORBIT_BASE_PORT  gRPC: 127.0.0.1:${Orbit__Gateway__GrpcPort:-$((ORBIT_BASE_PORT + GRPC_PORT_OFFSET))}  Registry: http://127.0.0.1:$((ORBIT_BASE_PORT + 1))"
  echo "orbit: admin API key in $ORBIT_RUN_DIR/admin.key (the CLI reads it from there)  Logs: $ORBIT_RUN_DIR/logs/  Stop: ./orbit down"
}

# The registry's first start gives the platform tenant 'admin' this key; later starts keep the
# tenant they have. ORBIT_ADMIN_KEY chooses it; otherwise one is generated. Mode 600.
ensure_admin_key() {
  local file="$ORBIT_RUN_DIR/admin.key"
  if [ -n "${ORBIT_ADMIN_KEY:-}" ]; then
    (umask 077 && printf '%s\n' "$ORBIT_ADMIN_KEY" >"$file")
  elif [ ! -s "$file" ]; then
    (umask 077 && printf 'orb_%s\n' "$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')" >"$file")
  fi
}

start_service() {
  local name=$1 folder=$2 assembly=$3 port=$4
  local bin="$ORBIT_ROOT/$folder/bin/Release/net10.0"
  [ -f "$bin/$assembly.dll" ] || { echo "orbit: $bin/$assembly.dll is missing: run without ORBIT_SKIP_BUILD" >&2; return 1; }
  mkdir -p "$ORBIT_RUN_DIR/data/$name"
  (
    cd "$bin" || exit 1
    # Secrets are exported to the one service that needs each, never put on a command line.
    case "$name" in
      registry) export Orbit__Registry__AdminKey="$(cat "$ORBIT_RUN_DIR/admin.key")" ;;
      gateway) export Orbit__Gateway__GrpcPort="${Orbit__Gateway__GrpcPort:-$((ORBIT_BASE_PORT + GRPC_PORT_OFFSET))}" ;;
      # The retrainer registers versions in any tenant: with the admin key it issues itself a deployer key per tenant.
      retrainer) export Orbit__Retrainer__RegistryKey="$(cat "$ORBIT_RUN_DIR/admin.key")" ;;
      # The drift monitor reads baselines and checks its API's keys with the platform viewer key the workers use.
      drift-monitor) export Orbit__DriftMonitor__RegistryKey="$(cat "$ORBIT_RUN_DIR/worker.key")" ;;
      inference-worker-*)
        export Orbit__Worker__RegistryKey="$(cat "$ORBIT_RUN_DIR/worker.key")"
        [ "${ORBIT_GPU:-}" = 1 ] && [ -z "${Orbit__Worker__Device:-}" ] && export Orbit__Worker__Device=cuda:0
        ;;
    esac
    ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}" \
    Orbit__InstanceId="$name" \
    Orbit__DataDirectory="$ORBIT_RUN_DIR/data/$name" \
    Orbit__Gateway__RegistryUrl="http://127.0.0.1:$((ORBIT_BASE_PORT + 1))" \
    Orbit__Worker__RegistryUrl="http://127.0.0.1:$((ORBIT_BASE_PORT + 1))" \
    Orbit__Retrainer__RegistryUrl="http://127.0.0.1:$((ORBIT_BASE_PORT + 1))" \
    Orbit__DriftMonitor__RegistryUrl="http://127.0.0.1:$((ORBIT_BASE_PORT + 1))" \
    Orbit__Gateway__DriftMonitorUrl="http://127.0.0.1:$((ORBIT_BASE_PORT + 2))" \
    Orbit__Gateway__RetrainerUrl="http://127.0.0.1:$((ORBIT_BASE_PORT + 3))" \
      setsid nohup dotnet "$assembly.dll" --urls "http://127.0.0.1:$port" \
      >>"$ORBIT_RUN_DIR/logs/$name.log" 2>&1 </dev/null &
    echo $! >"$ORBIT_RUN_DIR/pids/$name.pid"
  )
}

# Waits for NAME's /health/ready if it is running (just started or already up).
ready_or_started() {
  local port
  port=$(service_port "$1")
  wait_for "$1" "$ORBIT_RUN_DIR/logs/$1.log" "${ORBIT_READY_TIMEOUT:-90}" ready "$port"
}

# Inference workers download models with a platform viewer key of their own (not the admin key).
ensure_worker_key() {
  local file="$ORBIT_RUN_DIR/worker.key" url="http://127.0.0.1:$((ORBIT_BASE_PORT + 1))"
  if [ -s "$file" ] && curl -fsS -m 5 -o /dev/null -H "Authorization: Bearer $(cat "$file")" "$url/v1/auth/whoami"; then
    return 0
  fi
  local created
  created=$(curl -fsS -m 10 -X POST "$url/v1/keys" -H "Authorization: Bearer $(cat "$ORBIT_RUN_DIR/admin.key")" \
    -H 'content-type: application/json' -d '{"tenantId":"admin","role":"viewer","description":"inference workers (./orbit up)"}') || {
    echo "orbit: could not create the inference workers' registry key (is .run/admin.key the registry's admin key?)" >&2
    return 1
  }
  (umask 077 && printf '%s\n' "$(printf '%s' "$created" | sed -n 's/.*"key" *: *"\([^"]*\)".*/\1/p')" >"$file")
  [ -s "$file" ] || { echo "orbit: the registry's answer had no key" >&2; return 1; }
}

orbit_status() {
  local name folder assembly port pid state any=0
  printf '%-22s %-8s %-28s %s\n' SERVICE PID URL STATE
  for file in "$ORBIT_RUN_DIR"/pids/*.pid; do
    [ -f "$file" ] || continue
    any=1
    name=$(basename "$file" .pid)
    port=$(service_port "$name")
    assembly=$(service_assembly "$name")
    if pid=$(running_pid "$name" "$assembly"); then
      if ready "$port"; then state=ready; else state="running, not ready"; fi
    else
      pid=-; state=stopped
    fi
    printf '%-22s %-8s %-28s %s\n' "$name" "$pid" "http://127.0.0.1:$port" "$state"
  done
  [ $any = 1 ] || echo "(nothing started: ./orbit up)"
}

service_port() {
  case "$1" in
    inference-worker-*) echo $((ORBIT_BASE_PORT + WORKER_PORT_OFFSET + ${1##*-} - 1)) ;;
    *) service_table 0 | awk -F'|' -v n="$1" '$1==n{print $4}' ;;
  esac
}

service_assembly() {
  case "$1" in
    inference-worker-*) echo "${WORKER##*|}" ;;
    *) service_table 0 | awk -F'|' -v n="$1" '$1==n{print $3}' ;;
  esac
}

orbit_down() {
  local file name pid assembly pids=() names=()
  alerting_down
  for file in "$ORBIT_RUN_DIR"/pids/*.pid; do
    [ -f "$file" ] || continue
    name=$(basename "$file" .pid)
    assembly=$(service_assembly "$name")
    if pid=$(running_pid "$name" "$assembly"); then
      kill -TERM "$pid" 2>/dev/null
      pids+=("$pid"); names+=("$name")
    fi
    rm -f "$file"
  done
  [ ${#pids[@]} -gt 0 ] || { echo "orbit: nothing was running"; return 0; }
  # All at once: each service drains its in-flight work on SIGTERM (up to 30 s).
  local i deadline=$((SECONDS + 35))
  for i in "${!pids[@]}"; do
    while kill -0 "${pids[$i]}" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    if kill -0 "${pids[$i]}" 2>/dev/null; then
      echo "orbit: ${names[$i]} (pid ${pids[$i]}) did not stop within 35s; killing it" >&2
      kill -KILL "${pids[$i]}" 2>/dev/null
    fi
    echo "orbit: stopped ${names[$i]} (pid ${pids[$i]})"
  done
}

# ./orbit scale workers N: starts the missing inference workers up to N and stops those above it.
orbit_scale() {
  if [ "${1:-}" != workers ] || ! [[ "${2:-}" =~ ^[0-9]+$ ]] || [ "$2" -gt 32 ]; then
    echo "usage: ./orbit scale workers N   (0 to 32)" >&2
    return 2
  fi
  local target=$2 name folder assembly port pid file index
  running_pid registry Orbit.Registry >/dev/null || { echo "orbit: the platform is not up: ./orbit up" >&2; return 1; }
  ensure_worker_key || return 1
  local started=()
  while IFS='|' read -r name folder assembly port; do
    case "$name" in inference-worker-*) ;; *) continue ;; esac
    running_pid "$name" "$assembly" >/dev/null && continue
    start_service "$name" "$folder" "$assembly" "$port" || return 1
    started+=("$name|$port")
  done < <(service_table "$target")
  for file in "$ORBIT_RUN_DIR"/pids/inference-worker-*.pid; do
    [ -f "$file" ] || continue
    name=$(basename "$file" .pid)
    index=${name##*-}
    [ "$index" -le "$target" ] && continue
    if pid=$(running_pid "$name" "${WORKER##*|}"); then
      kill -TERM "$pid"
      local deadline=$((SECONDS + 35))
      while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
      echo "orbit: stopped $name (pid $pid)"
    fi
    rm -f "$file"
  done
  local entry failed=0
  for entry in "${started[@]}"; do
    name=${entry%%|*}; port=${entry##*|}
    wait_for "$name" "$ORBIT_RUN_DIR/logs/$name.log" "${ORBIT_READY_TIMEOUT:-90}" ready "$port" || { why_not_ready "$name" "$port"; failed=1; }
  done
  orbit_status
  return $failed
}

# --- Alerting: Prometheus (scrapes the services, evaluates infra/prometheus/rules/) and Alertmanager (routes the
# drift tiers), started by `./orbit up` when Debian's prometheus and prometheus-alertmanager are installed.
# Pids under $ORBIT_RUN_DIR/pids/alerting/, data under $ORBIT_RUN_DIR/{prometheus,alertmanager}/.
# ORBIT_PROMETHEUS_PORT (ORBIT_BASE_PORT + 1010: 9090), ORBIT_ALERTMANAGER_PORT (+ 1013: 9093); ORBIT_ALERT_WEBHOOK adds
# a webhook receiver; ORBIT_ALERTING=0 starts neither.
alerting_up() {
  [ "${ORBIT_ALERTING:-1}" = 0 ] && return 0
  local prometheus_port=${ORBIT_PROMETHEUS_PORT:-$((ORBIT_BASE_PORT + 1010))} alertmanager_port=${ORBIT_ALERTMANAGER_PORT:-$((ORBIT_BASE_PORT + 1013))}
  local dir="$ORBIT_RUN_DIR/pids/alerting" config="$ORBIT_ROOT/infra/alertmanager/alertmanager.yml"
  mkdir -p "$dir" "$ORBIT_RUN_DIR/alertmanager" "$ORBIT_RUN_DIR/prometheus"
  if command -v prometheus-alertmanager >/dev/null && ! alerting_running alertmanager prometheus-alertmanager; then
    if [ -n "${ORBIT_ALERT_WEBHOOK:-}" ]; then
      config="$ORBIT_RUN_DIR/alertmanager/alertmanager.yml"
      sed "s|^  - name: orbit-default$|  - name: orbit-default\n    webhook_configs: [{url: '$ORBIT_ALERT_WEBHOOK'}]|" \
        "$ORBIT_ROOT/infra/alertmanager/alertmanager.yml" >"$config"
    fi
    setsid nohup prometheus-alertmanager --config.file="$config" --storage.path="$ORBIT_RUN_DIR/alertmanager" \
      --web.listen-address="127.0.0.1:$alertmanager_port" --cluster.listen-address= \
      >>"$ORBIT_RUN_DIR/logs/alertmanager.log" 2>&1 </dev/null &
    echo $! >"$dir/alertmanager.pid"
    echo "orbit: alertmanager on http://127.0.0.1:$alertmanager_port (log: $ORBIT_RUN_DIR/logs/alertmanager.log)"
  fi
  if command -v prometheus >/dev/null && ! alerting_running prometheus prometheus; then
    local generated="$ORBIT_RUN_DIR/prometheus/prometheus.yml" offset
    # The repository's config with this run's ports (services at ORBIT_BASE_PORT + offset); rules from infra/prometheus/rules/.
    local rewrite=(-e "s|127.0.0.1:9093|127.0.0.1:$alertmanager_port|" -e "s|rules/\*.yml|$ORBIT_ROOT/infra/prometheus/rules/*.yml|")
    for offset in 0 1 2 3 10 11 12 13; do
      rewrite+=(-e "s|'127.0.0.1:$((8080 + offset))'|'127.0.0.1:$((ORBIT_BASE_PORT + offset))'|g")
    done
    sed "${rewrite[@]}" "$ORBIT_ROOT/infra/prometheus/prometheus.yml" >"$generated"
    setsid nohup prometheus --config.file="$generated" --storage.tsdb.path="$ORBIT_RUN_DIR/prometheus/data" \
      --web.listen-address="127.0.0.1:$prometheus_port" >>"$ORBIT_RUN_DIR/logs/prometheus.log" 2>&1 </dev/null &
    echo $! >"$dir/prometheus.pid"
    echo "orbit: prometheus on http://127.0.0.1:$prometheus_port (log: $ORBIT_RUN_DIR/logs/prometheus.log)"
  fi
}

alerting_running() { # NAME BINARY: the recorded pid is alive and runs BINARY
  local file="$ORBIT_RUN_DIR/pids/alerting/$1.pid" pid
  [ -f "$file" ] && pid=$(cat "$file") && kill -0 "$pid" 2>/dev/null && grep -qa "$2" "/proc/$pid/cmdline" 2>/dev/null
}

alerting_down() {
  local name file
  for name in alertmanager prometheus; do
    file="$ORBIT_RUN_DIR/pids/alerting/$name.pid"
    if alerting_running "$name" "$([ $name = alertmanager ] && echo prometheus-alertmanager || echo prometheus)"; then
      kill -TERM "$(cat "$file")" && echo "orbit: stopped $name (pid $(cat "$file"))"
    fi
    rm -f "$file"
  done
}
