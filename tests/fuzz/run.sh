#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 20) over a seed corpus built from the
# bundled scenarios, and fails on any finding (a crash, a sanitizer report, a leak, a
# timeout). REQUIRES: the fuzz targets (`cmake --preset fuzz && cmake --build --preset
# fuzz`) and build/release/cli/fundgap for the seed shards (setup.sh fuzz builds both).
# Findings are written to build/fuzz/findings/. See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-20}"
bin=build/fuzz/tests/fuzz
work=build/fuzz/corpus
rm -rf "$work" && mkdir -p "$work"/{scenario,expression,shard,seeds-scenario,seeds-expression,seeds-shard}
mkdir -p build/fuzz/findings
cp scenarios/*.yaml examples/*.yaml tests/fuzz/regressions/* "$work/seeds-scenario/"
printf 'services.acute.demand=4%%\nccg.gap[*] <= 5m\nsystem.gap[2023/24]\n' >"$work/seeds-expression/1"
printf 'schemes.avoid.confidence={uniform: [0%%, 100%%]}\npool.balance[2022/23] >= -1m ± 2%%\npool.contribution_ccg[2021/22]\n' \
  >"$work/seeds-expression/2"
printf 'name=&a [*a]\ncouncil.gap[2020/21..2023/24] == 0\nacute.net[2020/21]\n' >"$work/seeds-expression/3"
for k in 1 2; do
  build/release/cli/fundgap simulate scenarios/tower_hamlets_2019_uncertain.yaml -n 2000 --shard "$k/2" \
    -o "$work/seeds-shard/shard-$k.json"
done
status=0
for target in scenario expression shard; do
  echo "fuzz: ${target}_fuzz for ${seconds}s" >&2
  "$bin/${target}_fuzz" "$work/$target" "$work/seeds-$target" -dict=tests/fuzz/fundgap.dict \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="build/fuzz/findings/${target}-" 2>"build/fuzz/${target}.log" || {
    status=1
    echo "fuzz: ${target}_fuzz found a problem; the input is in build/fuzz/findings/, the log in build/fuzz/${target}.log" >&2
    tail -40 "build/fuzz/${target}.log" >&2
  }
  grep -E "^stat::number_of_executed_units" "build/fuzz/${target}.log" >&2 || true
done
exit "$status"
