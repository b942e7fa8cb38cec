# Sourced by bench scripts that start a platform of their own, possibly from another checkout (the code before a
# change), one after the other: a temp run dir, a free base port, a RabbitMQ vhost and Redis database of its own.
# The caller sets: work (a temp dir), redis_db, and optionally extra_env (more VAR=value for every service).
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

require_servers() {
  local missing=()
  listening 5672 || missing+=("RabbitMQ on 127.0.0.1:5672")
  listening 6379 || missing+=("Redis on 127.0.0.1:6379")
  if (( ${#missing[@]} > 0 )); then
    printf 'missing: %s\n' "${missing[@]}" >&2
    echo "run ./orbit deps" >&2
    exit 2
  fi
}

platform_root="" base_port="" rabbit_url="" vhost=""
extra_env=(${extra_env[@]+"${extra_env[@]}"})

# A base port whose gateway, registry, drift monitor, retrainer and first worker ports are all free.
free_base_port() {
  local base
  for _ in $(seq 50); do
    base=$((20000 + RANDOM % 20000))
    if ! listening "$base" && ! listening $((base + 1)) && ! listening $((base + 2)) && ! listening $((base + 3)) && ! listening $((base + 10)); then
      echo "$base"; return 0
    fi
  done
  return 1
}

platform_env() {
  env ORBIT_RUN_DIR="$work/run" ORBIT_BASE_PORT="$base_port" ASPNETCORE_ENVIRONMENT=Production \
    Orbit__Logging__Level=Warning Orbit__Gateway__RateLimitPerSecond=1000000 Orbit__Gateway__RateLimitBurst=1000000 \
    Orbit__Redis__Configuration="${ORBIT_REDIS:-127.0.0.1:6379},defaultDatabase=$redis_db" \
    ${rabbit_url:+Orbit__RabbitMq__Url="$rabbit_url"} ${extra_env[@]+"${extra_env[@]}"} "$@"
}

# start_platform ROOT LABEL: builds and starts the platform of checkout ROOT with one worker; sets base_port and vhost.
start_platform() {
  platform_root=$1
  local label=$2
  base_port=$(free_base_port) || { echo "no free base port found" >&2; exit 1; }
  vhost="orbit-bench-$label-$(basename "$work" | cut -d. -f2)"
  if [[ -z "${ORBIT_RABBITMQ:-}" ]] && rabbitmqctl -q add_vhost "$vhost" >/dev/null 2>&1; then
    rabbitmqctl -q set_permissions -p "$vhost" guest '.*' '.*' '.*' >/dev/null
    rabbit_url="amqp://guest:guest@127.0.0.1:5672/$vhost"
  else
    vhost=""
    echo "warning: no vhost of its own; the platform shares the broker's default vhost" >&2
  fi
  echo "[$label] starting the platform of $platform_root on base port $base_port" >&2
  platform_env "$platform_root/orbit" up --workers 1 >&2
  local ready=0
  for _ in $(seq 180); do
    curl -fsS -m 2 "http://127.0.0.1:$base_port/health/ready" >/dev/null 2>&1 && { ready=1; break; }
    sleep 0.5
  done
  (( ready )) || { echo "the gateway on $base_port never answered ready" >&2; return 1; }
}

# Stops what the current platform started and removes what it left: its processes, its vhost, its Redis keys, its run dir.
stop_platform() {
  [[ -z "$platform_root" ]] && return 0
  platform_env "$platform_root/orbit" down >&2 || true
  redis-cli -n "$redis_db" --scan --pattern 'orbit:*' | xargs -r redis-cli -n "$redis_db" del >/dev/null 2>&1 || true
  [[ -n "$vhost" ]] && rabbitmqctl -q delete_vhost "$vhost" >/dev/null 2>&1
  rm -rf "$work/run"
  platform_root="" vhost="" rabbit_url=""
}

# For `trap cleanup_platform EXIT`: on failure, the last log lines, then stop whatever is still running.
cleanup_platform() {
  local status=$?
  set +e
  if (( status != 0 )) && [[ -n "$platform_root" ]]; then
    for log in "$work"/run/logs/{gateway,registry,inference-worker-1}.log; do
      echo "--- last lines of $(basename "$log")" >&2; tail -n 20 "$log" | cut -c1-600 >&2
    done
  fi
  stop_platform
  rm -rf "$work"
}
