#!/usr/bin/env bash
# Measures the overhead targets of docs/PERFORMANCE.md ("Targets on this machine"): every zoo model, every step and
# every 10 steps, plain and introspected sessions interleaved in one process per model and frequency, torch threads 1,
# background thread on, spectra workers auto. `uptime` is logged before each process.
#   benchmarks/run-targets.sh OUT_DIR [REPS] [MODELS] [EXTRA]
# REPS defaults to 15; MODELS to "mlp lstm cnn1d cnn3d"; EXTRA is passed to every overhead process (e.g.
# "--spectra-workers 1": the spectra on the background thread alone). The 3D-CNN runs 8-step epochs (its steps take
# seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: benchmarks/run-targets.sh OUT_DIR [REPS] [MODELS]}
reps=${2:-15}
models=${3:-"mlp lstm cnn1d cnn3d"}
extra=${4:-}
mkdir -p "$out"
dotnet build -c Release benchmarks/AutoSpec.Benchmarks >/dev/null
B="dotnet benchmarks/AutoSpec.Benchmarks/bin/Release/net10.0/AutoSpec.Benchmarks.dll"
for m in $models; do
  steps=16
  [ "$m" = cnn3d ] && steps=8
  for e in 1 10; do
    # Every 10 steps on 8-step epochs would record one step in 8; 16-step epochs record 2 in 16 (steps 0 and 10).
    [ "$m" = cnn3d ] && [ "$e" = 10 ] && steps=16
    echo "$(date -u +%FT%TZ) $m every $e $extra: $(uptime)" | tee -a "$out/uptime.log"
    $B overhead --threads 1 --models "$m" --reps "$reps" --warmup 1 --every "$e" --background on \
      --steps-per-epoch "$steps" --floor-reps 5 $extra --out "$out/ov-$m-$e.md" 2>"$out/ov-$m-$e.log"
  done
done
echo "$(date -u +%FT%TZ) done: $(uptime)" | tee -a "$out/uptime.log"
