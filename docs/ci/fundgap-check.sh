#!/usr/bin/env bash
# fundgap-check.sh: guard a published plan in CI. See docs/guide-ci.md.
#
# Usage: bash fundgap-check.sh PLAN.yaml...
#
# 1. Runs `fundgap check` over the plan files: JUnit XML for the CI dashboard, and a
#    Markdown summary of every check.
# 2. When FUNDGAP_BASE_REF is set, compares each plan with its own version at that git
#    ref (`fundgap compare`), applying the gates in FUNDGAP_MAX_INCREASE.
# 3. Writes the Markdown summary to REPORTS/fundgap-summary.md, prints it, and appends it
#    to $GITHUB_STEP_SUMMARY when that is set (GitHub Actions).
#
# Environment (all optional):
#   FUNDGAP               the fundgap binary                 default: fundgap on the PATH
#   FUNDGAP_REPORTS       the directory for the reports       default: reports
#   FUNDGAP_BASE_REF      a git ref to compare with, such as origin/main or a commit;
#                         empty or unset: no comparison
#   FUNDGAP_COMPARE       the plans to compare, separated by spaces
#                                                             default: the PLAN arguments
#   FUNDGAP_MAX_INCREASE  --max-increase gates, separated by spaces, such as
#                         'system.gap[*]=1m council.gap[*]=5%'  default: none
#
# Files written in REPORTS (earlier ones of these names are removed first):
#   fundgap-checks.xml    JUnit XML of the checks (one test case per check)
#   fundgap-checks.md     the checks as Markdown
#   fundgap-compare-N.md  the N-th comparison as Markdown, with its gates
#   fundgap-summary.md    all of the Markdown above, in that order
#
# Exit status, as fundgap's: 0 every check and gate passed; 1 a check or a gate failed;
# 2 bad input or usage (a plan with errors, an unknown gate, a bad FUNDGAP_BASE_REF).
# When several runs disagree, the highest status wins.

# The backquotes in the printf formats below are Markdown, not command substitution.
# shellcheck disable=SC2016
set -uo pipefail

fundgap=${FUNDGAP:-fundgap}
reports=${FUNDGAP_REPORTS:-reports}
me="fundgap-check.sh"

if [ $# -eq 0 ]; then
  echo "usage: bash $me PLAN.yaml..." >&2
  exit 2
fi
if ! command -v "$fundgap" >/dev/null 2>&1; then
  echo "$me: error: cannot run '$fundgap'; put fundgap on the PATH or set FUNDGAP" >&2
  exit 2
fi
mkdir -p "$reports" || exit 2
rm -f "$reports"/fundgap-checks.xml "$reports"/fundgap-checks.md "$reports"/fundgap-compare-*.md \
      "$reports"/fundgap-summary.md

status=0
worst() {  # worst STATUS: keep the highest exit status seen
  if [ "$1" -gt "$status" ]; then status=$1; fi
}

# ---- 1. the checks ------------------------------------------------------------------
# Markdown goes to a file with --output, to be gathered into the summary; under GitHub
# Actions the ::error annotations fundgap prints then go to stdout, the job log.
"$fundgap" check "$@" --junit "$reports/fundgap-checks.xml" \
  --format markdown --output "$reports/fundgap-checks.md"
worst $?

summary="$reports/fundgap-summary.md"
if [ -f "$reports/fundgap-checks.md" ]; then
  cat "$reports/fundgap-checks.md" >"$summary"
else
  printf '### fundgap checks: could not run\n\nSee the job log (exit status %s).\n\n' "$status" >"$summary"
fi

# ---- 2. the comparison with the base version ------------------------------------------
if [ -n "${FUNDGAP_BASE_REF:-}" ]; then
  ref=$FUNDGAP_BASE_REF
  if ! git rev-parse --verify --quiet "$ref^{commit}" >/dev/null; then
    echo "$me: error: FUNDGAP_BASE_REF '$ref' is not a commit in this clone (fetch it first)" >&2
    printf '### fundgap compare: no base\n\n`%s` is not a commit in this clone.\n\n' "$ref" >>"$summary"
    worst 2
  else
    # The whole tree at the base ref, so that a plan's `extends:` finds its base files.
    base_tree=$(mktemp -d)
    trap 'rm -rf "$base_tree"' EXIT
    git -C "$(git rev-parse --show-toplevel)" archive "$ref" | tar -x -C "$base_tree"
    prefix=$(git rev-parse --show-prefix)  # where we are in the repository

    read -r -a plans <<<"${FUNDGAP_COMPARE:-$*}"
    read -r -a gates <<<"${FUNDGAP_MAX_INCREASE:-}"
    gate_args=()
    for g in "${gates[@]}"; do gate_args+=(--max-increase "$g"); done

    n=0
    for plan in "${plans[@]}"; do
      base="$base_tree/$prefix$plan"
      if [ ! -f "$base" ]; then
        echo "$me: $plan is not in $ref; nothing to compare it with"
        printf '### fundgap compare: `%s`\n\nNew plan: not in `%s`.\n\n' "$plan" "$ref" >>"$summary"
        continue
      fi
      n=$((n + 1))
      out="$reports/fundgap-compare-$n.md"
      "$fundgap" compare "$base" "$plan" "${gate_args[@]}" --format markdown --output "$out"
      compared=$?
      worst $compared
      if [ "$compared" -eq 1 ] && [ "${GITHUB_ACTIONS:-}" = true ]; then
        echo "::error file=$plan,title=fundgap compare::a --max-increase gate failed against $ref (see the job summary)"
      fi
      printf '### fundgap compare: `%s` against `%s`\n\n' "$plan" "$ref" >>"$summary"
      if [ -f "$out" ]; then cat "$out" >>"$summary"; else printf 'Could not compare: see the job log.\n\n' >>"$summary"; fi
    done
  fi
fi

# ---- 3. the summary ---------------------------------------------------------------------
cat "$summary"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  cat "$summary" >>"$GITHUB_STEP_SUMMARY"
fi
exit "$status"
