#!/usr/bin/env bash
# Deploy-to-first-answer benchmark: registers five versions of a 10 MB model, then deploys each in turn and times
# from the registry's answer to the deploy call to the first 200 from the gateway for that version (polled every
# 5 ms). Starts its own platform (see own-platform.sh), prints p50 and max, stops everything.
# Usage: bench/run-deploy.sh [--versions N] [--size-mb N] [--compare DIR]
#   --compare DIR   first measure the platform of another checkout (the code before a change, e.g. made with
#                   `git worktree add /tmp/before c1d76ec`), then this one, one run after the other, and print both
#                   with the ratio this/before.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

versions=5 size_mb=10 compare=""
while (( $# > 0 )); do
  case "$1" in
    --versions) versions=$2; shift 2 ;;
    --size-mb) size_mb=$2; shift 2 ;;
    --compare) compare=$(cd "$2" && pwd); shift 2 ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d /tmp/orbit-deploy-bench.XXXXXX)
redis_db=5 # apart from a developer's (0), the other benches' (7), the in-process tests' (9) and the end-to-end tests' (10–15)
. "$root/bench/own-platform.sh"
require_servers
trap cleanup_platform EXIT
trap 'exit 130' INT TERM

echo "building the bench (Release)" >&2
dotnet build bench/Orbit.Inference.Bench -c Release --nologo -v q -clp:ErrorsOnly >&2
bench_dll="$root/bench/Orbit.Inference.Bench/bin/Release/net10.0/Orbit.Inference.Bench.dll"

# measure ROOT LABEL: the deploys against the platform of checkout ROOT; the summary line goes to $work/LABEL.txt.
measure() {
  start_platform "$1" "$2"
  echo "[$2] load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores" >&2
  dotnet "$bench_dll" deploy --platform "http://127.0.0.1:$base_port" --registry "http://127.0.0.1:$((base_port + 1))" \
    --key "$(cat "$work/run/admin.key")" --versions "$versions" --size-mb "$size_mb" >"$work/$2.txt"
  echo "$2: $(cat "$work/$2.txt")"
  stop_platform
}

p50_of() { sed -E 's/.*p50 ([0-9.]+) s.*/\1/' "$work/$1.txt"; }
max_of() { sed -E 's/.*max ([0-9.]+) s.*/\1/' "$work/$1.txt"; }

[[ -n "$compare" ]] && measure "$compare" before
measure "$root" this

echo
echo "| code | p50 (s) | max (s) |"
echo "|---|---:|---:|"
[[ -n "$compare" ]] && echo "| before ($(git -C "$compare" rev-parse --short HEAD)) | $(p50_of before) | $(max_of before) |"
echo "| this ($(git rev-parse --short HEAD)) | $(p50_of this) | $(max_of this) |"
if [[ -n "$compare" ]]; then
  awk -v a="$(p50_of this)" -v b="$(p50_of before)" -v am="$(max_of this)" -v bm="$(max_of before)" \
    'BEGIN { printf "| ratio this/before | %.2f | %.2f |\n", a / b, am / bm }'
fi
