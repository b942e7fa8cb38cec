#!/usr/bin/env bash
# Orbit.Onnx benchmark: builds the standalone harness (Release; ONNX Runtime comes from the NuGet package), installs
# the Node peer if missing (npm is used for the peer only), and prints a markdown table of median µs per Run for the
# official binding's OrtValue Run, preallocated outputs and IOBinding, beside onnxruntime-node@1.30.0.
# Usage: bench/run-onnx.sh [--case NAME-PART] [--rounds N] [--samples N] [--warmup-ms MS] [--skip-peer]
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -d bench/peers/node_modules/onnxruntime-node ]]; then
  echo "installing onnxruntime-node@1.30.0 into bench/peers (with --ignore-scripts: its postinstall tries a download)" >&2
  (cd bench/peers && npm ci --ignore-scripts --no-audit --no-fund)
fi

dotnet build bench/Orbit.Onnx.Bench -c Release --nologo -v quiet >&2
exec dotnet bench/Orbit.Onnx.Bench/bin/Release/net10.0/Orbit.Onnx.Bench.dll "$@"
