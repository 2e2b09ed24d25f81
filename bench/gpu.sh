#!/usr/bin/env bash
# The whole GPU benchmark on a machine with a hardware GPU, in under five minutes, into ONE JSON file:
#   bench/gpu.sh [OUT.json]            default OUT: bench/gpu-results.json
#   bench/gpu.sh --smoke [OUT.json]    small sizes (what lavapipe can do; also THC_BENCH_SMOKE=1)
# Needs Linux with the GPU's Vulkan driver (NVIDIA: the driver's Vulkan ICD, nvidia_icd.json; in a
# container NVIDIA_DRIVER_CAPABILITIES must include graphics) and Node 20. Installs the exact
# dependencies (npm ci, without install scripts: the only ones are esbuild's binary check and
# webgpu's macOS quarantine fix) when node_modules is missing or THC_BENCH_INSTALL=1, compiles
# (tsc), and runs the GPU section of bench/run.ts with full sizes. Peaks for the targets:
# THC_PEAK_GBPS and THC_PEAK_GFLOPS (defaults: NVIDIA H200 SXM, 4800 GB/s and 67000 GFLOP/s FP32).
# Time caps: THC_BENCH_GPU_BUDGET_S per workload and side (default 4), THC_BENCH_GPU_DEADLINE_S for
# the section (default 180; past it each workload gets its 3 minimum calls). Exit status 1 when
# the section could not run (no adapter, a software adapter in full mode, a failure) or thc and
# tfjs disagree; the JSON says why either way.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=--full
if [[ "${1:-}" == "--smoke" ]]; then mode=--smoke; shift; fi
if [[ "${THC_BENCH_SMOKE:-}" == "1" ]]; then mode=--smoke; fi
out="${1:-bench/gpu-results.json}"
start=$(date +%s)

node -e 'const [a] = process.versions.node.split(".").map(Number); if (a < 20) { console.error(`Node ${process.version}: need 20 or newer`); process.exit(1); }'
if [[ ! -d node_modules || "${THC_BENCH_INSTALL:-}" == "1" ]]; then
  echo "== npm ci"
  npm ci --ignore-scripts --no-audit --no-fund
fi
echo "== tsc"
npx tsc -p .
# lavapipe and Dawn want a runtime directory; harmless elsewhere.
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp/thc-xdg-$(id -u)}"
mkdir -p "$XDG_RUNTIME_DIR"
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader || true
fi
echo "== GPU benchmark ($mode) -> $out"
status=0
node dist/bench/run.js --only gpu "$mode" --json "$out" || status=$?
echo "== done in $(( $(date +%s) - start )) s: $out (exit $status)"
exit $status
