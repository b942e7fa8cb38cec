# Sourced by ./orbit: the whole test suite against the real servers that deps starts.

# ./orbit test [--long] [dotnet test options]: the suite; --long then runs what takes minutes and
# disturbs the shared servers (faults under load: restarting RabbitMQ and Redis; a 10-minute soak at
# 70% of capacity, ORBIT_SOAK_MINUTES to change it), one test at a time.
orbit_test() {
  local long=0 args=() only=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --long) long=1 ;;
      # A filter of the caller's narrows the default one rather than replacing it (dotnet test takes one --filter).
      --filter) only="&($2)"; shift ;;
      *) args+=("$1") ;;
    esac
    shift
  done
  orbit_deps || return 1
  echo "orbit: building the solution (Release)"
  dotnet build "$ORBIT_ROOT/Microservices.sln" -c Release --nologo -v q -clp:ErrorsOnly >"$ORBIT_CACHE/test-build.log" 2>&1 || {
    grep -E 'error' "$ORBIT_CACHE/test-build.log" | sort -u | head -n 40 >&2
    echo "orbit: build failed; full log: $ORBIT_CACHE/test-build.log" >&2
    return 1
  }
  # Tests keep their Redis keys in databases 9-15 (a developer's ./orbit up uses 0): start them empty.
  if [ -z "${ORBIT_REDIS:-}" ]; then
    for db in 9 10 11 12 13 14 15; do redis-cli -h 127.0.0.1 -p 6379 -n "$db" flushdb >/dev/null; done
  fi
  test_vhost_create
  local log="$ORBIT_CACHE/test.log" status
  # A hung test is stopped and named rather than holding CI for its whole budget.
  dotnet test "$ORBIT_ROOT/Microservices.sln" -c Release --no-build --nologo \
    --blame-hang-timeout 10m --blame-hang-dump-type none --filter "(Category!=Long)$only" "${args[@]}" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  if [ "$long" = 1 ] && [ "$status" = 0 ]; then
    echo "orbit: the long suite (faults under load, soak), alone on the servers"
    dotnet test "$ORBIT_ROOT/tests/Orbit.EndToEnd.Tests" -c Release --no-build --nologo \
      --blame-hang-timeout 20m --blame-hang-dump-type none --filter "(Category=Long)$only" \
      --logger "console;verbosity=detailed" "${args[@]}" 2>&1 | tee -a "$log"
    status=${PIPESTATUS[0]}
    grep -E '^(faults|soak): ' "$log" | sed -E 's/^(faults|soak): //'
  fi
  test_vhost_delete
  # dotnet test prints one summary per test assembly; add them up into one closing line.
  local passed failed skipped
  passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END{print s+0}')
  failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END{print s+0}')
  skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END{print s+0}')
  if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi
  echo "orbit: $passed passed, $failed failed, $skipped skipped"
  return "$status"
}

# The run's own RabbitMQ virtual host (when deps manages the broker): tests declare a queue per model they make,
# and a run that left them in the default vhost would leave them for ever (RabbitMQ then recovers thousands of
# queues at every start). Hosts of runs whose process is gone are removed first.
test_vhost_create() {
  [ -n "${ORBIT_RABBITMQ:-}" ] && return 0
  local vhost pid
  for vhost in $(rabbitmqctl list_vhosts -q 2>/dev/null | grep -E '^orbit-test-[0-9]+$'); do
    pid=${vhost#orbit-test-}
    kill -0 "$pid" 2>/dev/null || rabbitmqctl delete_vhost -q "$vhost" >/dev/null 2>&1
  done
  ORBIT_TEST_VHOST="orbit-test-$$"
  if ! { rabbitmqctl add_vhost -q "$ORBIT_TEST_VHOST" && rabbitmqctl set_permissions -q -p "$ORBIT_TEST_VHOST" guest '.*' '.*' '.*'; } >/dev/null 2>&1; then
    # rabbitmqctl needs the broker's Erlang cookie (root or the rabbitmq user); without it the default vhost serves.
    echo "orbit: note: could not create a RabbitMQ vhost for this run (rabbitmqctl add_vhost); tests use the default vhost" >&2
    unset ORBIT_TEST_VHOST
    return 0
  fi
  export ORBIT_TEST_RABBITMQ="amqp://guest:guest@127.0.0.1:5672/$ORBIT_TEST_VHOST"
}

test_vhost_delete() {
  [ -n "${ORBIT_TEST_VHOST:-}" ] || return 0
  rabbitmqctl delete_vhost -q "$ORBIT_TEST_VHOST" >/dev/null 2>&1
  unset ORBIT_TEST_RABBITMQ ORBIT_TEST_VHOST
}
