# Sourced by ./orbit. Installs what is missing and starts RabbitMQ, Redis and PostgreSQL on
# loopback, idempotently. Every wait is bounded and a failure names the server and its log.

DEB_PACKAGES=(rabbitmq-server redis-server postgresql libonnx-testdata prometheus prometheus-alertmanager curl locales python3-pika python3-numpy python3-confluent-kafka python3-grpcio python3-grpc-tools kcat nodejs chromium)

deps_can_install() {
  [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null
}

deps_missing_packages() {
  local p missing=()
  for p in "${DEB_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  # The console's build (services/console-ui) needs npm; NodeSource's nodejs ships its own and conflicts with Debian's.
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  echo "${missing[@]}"
}

deps_manual_help() {
  cat >&2 <<HELP
orbit: this machine is not Debian with root, so './orbit deps' cannot install servers.
Provide them yourself and point Orbit at them with these environment variables:
  ORBIT_RABBITMQ     amqp://user:password@host:5672/   (RabbitMQ 3.10+, stream queues need no plugin)
  ORBIT_REDIS        host:6379                         (Redis 6+)
  ORBIT_POSTGRES     Host=…;Port=5432;Username=…;Password=…;Database=…   (PostgreSQL 13+)
ONNX Runtime comes with the NuGet restore (Microsoft.ML.OnnxRuntime). The ONNX backend test data (Debian
package libonnx-testdata) is needed for the conformance test, python3-pika for the streams example test, python3-numpy for the
binary tensor example test.
HELP
}

deps_install_packages() {
  local missing
  missing=$(deps_missing_packages)
  [ -z "$missing" ] && return 0
  if ! deps_can_install; then
    echo "orbit: missing packages: $missing" >&2
    deps_manual_help
    return 1
  fi
  echo "orbit: installing $missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >"$ORBIT_CACHE/apt.log" 2>&1 || {
    echo "orbit: apt-get install failed; see $ORBIT_CACHE/apt.log" >&2
    tail -n 20 "$ORBIT_CACHE/apt.log" >&2
    return 1
  }
}

# wait_for NAME LOG SECONDS COMMAND...: runs COMMAND until it succeeds or time runs out.
wait_for() {
  local name=$1 log=$2 seconds=$3
  shift 3
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      echo "orbit: $name did not become ready within ${seconds}s; its log: $log" >&2
      # Its last words, without the readiness probes' own lines (they would fill the tail and say nothing).
      [ -f "$log" ] && grep -vE 'HealthChecks|/health/ready' "$log" | tail -n 20 >&2
      return 1
    fi
    sleep 0.5
  done
}

tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# Debian's rabbitmq-server wrapper switches to the rabbitmq user with su, which resets the open-files limit to
# 1024. RabbitMQ needs a handle per queue while it recovers them: with more queues than that it hangs at start-up
# (seen with 1,274 queues). As root, the broker is started as its user with this shell's hard limit instead.
rabbitmq_server_detached() {
  if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
    (ulimit -n "$(ulimit -Hn)" && cd /var/lib/rabbitmq && HOME=/var/lib/rabbitmq \
      exec setpriv --reuid rabbitmq --regid rabbitmq --init-groups /usr/lib/rabbitmq/bin/rabbitmq-server -detached)
  else
    rabbitmq-server -detached
  fi
}

deps_rabbitmq() {
  if [ -n "${ORBIT_RABBITMQ:-}" ]; then return 0; fi
  tcp_open 127.0.0.1 5672 && return 0
  command -v rabbitmq-server >/dev/null || { deps_manual_help; return 1; }
  local log=/var/log/rabbitmq
  echo "orbit: starting RabbitMQ on 127.0.0.1:5672"
  RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_DIST_PORT=25672 \
  RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    rabbitmq_server_detached >"$ORBIT_CACHE/rabbitmq-start.log" 2>&1 || {
      echo "orbit: rabbitmq-server failed to start; see $ORBIT_CACHE/rabbitmq-start.log and $log" >&2; return 1; }
  wait_for RabbitMQ "$log" 120 tcp_open 127.0.0.1 5672 || return 1
  timeout 60 rabbitmqctl await_startup >/dev/null 2>&1 || { echo "orbit: RabbitMQ did not finish starting; see $log" >&2; return 1; }
}

deps_redis() {
  if [ -n "${ORBIT_REDIS:-}" ]; then return 0; fi
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && return 0
  command -v redis-server >/dev/null || { deps_manual_help; return 1; }
  echo "orbit: starting Redis on 127.0.0.1:6379"
  local log="$ORBIT_CACHE/redis.log"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --logfile "$log" --dir "$ORBIT_CACHE" >/dev/null || { echo "orbit: redis-server failed; see $log" >&2; return 1; }
  wait_for Redis "$log" 30 redis-cli -h 127.0.0.1 -p 6379 ping
}

deps_postgres() {
  if [ -n "${ORBIT_POSTGRES:-}" ]; then return 0; fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    command -v pg_ctlcluster >/dev/null || { deps_manual_help; return 1; }
    local version
    version=$(pg_lsclusters -h 2>/dev/null | awk 'NR==1{print $1}')
    [ -n "$version" ] || { echo "orbit: no PostgreSQL cluster found (pg_lsclusters is empty)" >&2; return 1; }
    echo "orbit: starting PostgreSQL $version on 127.0.0.1:5432"
    pg_ctlcluster "$version" main start >"$ORBIT_CACHE/postgres-start.log" 2>&1 || {
      echo "orbit: PostgreSQL failed to start; see $ORBIT_CACHE/postgres-start.log and /var/log/postgresql/" >&2; return 1; }
    wait_for PostgreSQL "/var/log/postgresql/postgresql-$version-main.log" 60 pg_isready -q -h 127.0.0.1 -p 5432 || return 1
  fi
  # The development role that tests and './orbit up' use; loopback only, never a production credential. Tests drop
  # their databases WITH (FORCE), which also ends an autovacuum worker that happens to be in one: that takes
  # pg_signal_backend (without it the drop failed now and then, "must be a member of the role whose process is being
  # terminated").
  if [ "$(id -u)" = 0 ] && [ "$(PGPASSWORD=orbit psql -h 127.0.0.1 -U orbit -d orbit -tAc "select pg_has_role('pg_signal_backend', 'member')" 2>/dev/null)" != t ]; then
    su postgres -c "psql -q -v ON_ERROR_STOP=1" >/dev/null <<'SQL' || { echo "orbit: could not create the PostgreSQL role 'orbit'" >&2; return 1; }
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orbit') THEN
    CREATE ROLE orbit LOGIN CREATEDB PASSWORD 'orbit';
  END IF;
END $$;
GRANT pg_signal_backend TO orbit;
SELECT 'CREATE DATABASE orbit OWNER orbit' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'orbit')\gexec
SQL
  fi
}

# ONNX Runtime's StringNormalizer needs the en_US.UTF-8 locale; without it those conformance cases fail.
deps_locale() {
  locale -a 2>/dev/null | grep -qiE '^en_US\.utf-?8$' && return 0
  if ! deps_can_install; then
    echo "orbit: the en_US.UTF-8 locale is missing (ONNX Runtime's StringNormalizer needs it): localedef -i en_US -f UTF-8 en_US.UTF-8" >&2
    return 0
  fi
  echo "orbit: generating the en_US.UTF-8 locale"
  localedef -i en_US -f UTF-8 en_US.UTF-8 || { echo "orbit: localedef failed" >&2; return 1; }
}

orbit_deps() {
  mkdir -p "$ORBIT_CACHE"
  deps_install_packages || return 1
  deps_locale || return 1
  deps_rabbitmq || return 1
  deps_redis || return 1
  deps_postgres || return 1
  # Connection strings may hold passwords: name where each server comes from, never the value.
  echo "orbit: dependencies ready (RabbitMQ $([ -n "${ORBIT_RABBITMQ:-}" ] && echo from ORBIT_RABBITMQ || echo 127.0.0.1:5672)," \
    "Redis $([ -n "${ORBIT_REDIS:-}" ] && echo from ORBIT_REDIS || echo 127.0.0.1:6379)," \
    "PostgreSQL $([ -n "${ORBIT_POSTGRES:-}" ] && echo from ORBIT_POSTGRES || echo 127.0.0.1:5432);" \
    "ONNX Runtime comes with the NuGet restore)"
}
