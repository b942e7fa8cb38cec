#!/usr/bin/env bash
# Registry upload benchmark: builds the registry and the standalone harness (Release), then starts its own registry
# on a free loopback port with a temp data directory, and prints a markdown table of upload MB/s beside `cp` MB/s.
# Usage: bench/run-registry-upload.sh [--runs N] [--size-mb N]
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
(exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null || missing+=("RabbitMQ on 127.0.0.1:5672")
(exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null || missing+=("Redis on 127.0.0.1:6379")
if (( ${#missing[@]} > 0 )); then
  printf 'missing: %s\n' "${missing[@]}" >&2
  echo "run ./orbit deps" >&2
  exit 2
fi

dotnet build services/registry -c Release --nologo -v quiet >&2
dotnet build bench/Orbit.Registry.Bench -c Release --nologo -v quiet >&2
exec dotnet bench/Orbit.Registry.Bench/bin/Release/net10.0/Orbit.Registry.Bench.dll "$@"
