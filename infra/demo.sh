# shellcheck shell=bash
# ./orbit demo: the whole lifecycle on a fresh platform. It (re)starts the services with two workers and the demo's
# short windows and intervals (exported below, so they apply to the services it starts), then runs the CLI's demo:
# train version 1, deploy, serve real-time, asynchronous and batch traffic, shift it, retrain, canary, promote.
# The platform keeps running afterwards with these settings; ./orbit down && ./orbit up returns to the defaults.

orbit_demo() {
  # A model of its own each run, so a second demo starts from version 1 again.
  local model="churn-$(date -u +%m%d-%H%M%S)"
  local datasets="$ORBIT_RUN_DIR/datasets"
  mkdir -p "$datasets"
  export Orbit__Worker__Statistics__WindowSeconds=2
  export Orbit__Gateway__ServingWindows__WindowSeconds=1
  export Orbit__DriftMonitor__WindowSeconds=20 Orbit__DriftMonitor__EvaluateEverySeconds=2
  export Orbit__DriftMonitor__MinSampleSize=200 Orbit__DriftMonitor__Consecutive=2 Orbit__DriftMonitor__AccuracyRows=400
  export Orbit__Registry__Rollouts__TickSeconds=0.5
  export Orbit__Retrainer__PollSeconds=1 Orbit__Retrainer__Data__IdleMilliseconds=700
  export Orbit__Retrainer__Data__DatasetRoot="$datasets"
  export Orbit__Retrainer__Models__0__Tenant=admin Orbit__Retrainer__Models__0__Model="$model"
  export Orbit__Retrainer__Models__0__Dataset="$model.csv" Orbit__Retrainer__Models__0__MergeDataset=false
  export Orbit__Retrainer__Models__0__Recipe=logistic-regression
  export Orbit__Retrainer__Models__0__DebounceSeconds=0 Orbit__Retrainer__Models__0__CooldownHours=0.01
  if compgen -G "$ORBIT_RUN_DIR/pids/*.pid" >/dev/null; then
    echo "orbit: restarting the platform with the demo's settings (data and keys are kept)"
    orbit_down >/dev/null || return 1
  fi
  orbit_up --workers 2 || return 1
  orbit_cli demo --model "$model" --datasets "$datasets" "$@"
}
