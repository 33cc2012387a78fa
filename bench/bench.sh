#!/usr/bin/env bash
# fundgap's performance benchmark in one command; see bench/bench.py for the options, e.g.
#   bench/bench.sh --fundgap build/release/cli/fundgap
exec /usr/bin/python3 "$(dirname "$0")/bench.py" "$@"
