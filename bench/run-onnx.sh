#!/usr/bin/env bash
# Orbit.Onnx binding benchmark: builds the standalone harness (Release), installs the Node peer if missing,
# and prints a markdown table of median µs per Run, ours beside onnxruntime-node@1.30.0.
# Usage: bench/run-onnx.sh [--case NAME-PART] [--rounds N] [--samples N] [--warmup-ms MS] [--skip-peer]
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -f .cache/onnxruntime/libonnxruntime.so.1 && -z "${ORBIT_ONNXRUNTIME:-}" ]]; then
  echo "ONNX Runtime is missing: run ./orbit deps first." >&2
  exit 2
fi

if [[ ! -d bench/peers/node_modules/onnxruntime-node ]]; then
  echo "installing onnxruntime-node@1.30.0 into bench/peers (with --ignore-scripts: its postinstall tries a download)" >&2
  (cd bench/peers && npm ci --ignore-scripts --no-audit --no-fund)
fi

dotnet build bench/Orbit.Onnx.Bench -c Release --nologo -v quiet >&2
exec dotnet bench/Orbit.Onnx.Bench/bin/Release/net10.0/Orbit.Onnx.Bench.dll "$@"
