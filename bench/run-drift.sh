#!/usr/bin/env bash
# Drift benchmarks (no servers needed): ingest rate, evaluation of 1,000 features, `orbit drift compare` on
# 1 M rows × 30 columns. Builds the CLI and the harness (Release) and prints markdown tables with same-run baselines.
# Usage: bench/run-drift.sh [--rows N] [--columns N] [--features N]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build tools/Orbit.Cli -c Release --nologo -v quiet >&2
dotnet build bench/Orbit.Drift.Bench -c Release --nologo -v quiet >&2
exec dotnet bench/Orbit.Drift.Bench/bin/Release/net10.0/Orbit.Drift.Bench.dll "$@"
