#!/usr/bin/env bash
# Starts silo 1 or 2 of the running local cluster again, with the settings start.sh gave it, e.g. after killing it
# with kill -9 in a fault drill. Its log continues in <state>/logs/siloN.log; stop.sh stops it like the others.
#
# Usage: deploy/local/restart-silo.sh 1|2
set -euo pipefail

# shellcheck source=deploy/local/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

n=${1:-}
[[ $n == 1 || $n == 2 ]] || { sed -n '2,5p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[[ -r $FF_STATE_DIR/cluster.env && -r $FF_PG_DIR/password ]] || { ff_err "no local cluster in $FF_STATE_DIR (run start.sh)"; exit 1; }
if ff_live_processes | grep -q "^silo$n "; then
    ff_err "silo$n is still running; stop or kill it first"
    exit 1
fi

# cluster.env is KEY=VALUE lines for people to read, not a script: take the values it needs by name.
setting() { sed -n "s/^$1=//p" "$FF_STATE_DIR/cluster.env"; }
CLUSTER_ID=$(setting CLUSTER_ID)
PG_PORT=$(setting PG_PORT)
LOG_FORMAT=$(setting LOG_FORMAT)
silo_port=$((11110 + n))
gateway_port=$((29999 + n))
metrics_port=$((9463 + n))
ff_export_cluster_env "$PG_PORT" "$(cat "$FF_PG_DIR/password")" "$CLUSTER_ID" "${LOG_FORMAT:-text}"
silo_dir=$FF_REPO_ROOT/silo/bin/Release/net10.0
ff_launch "silo$n" "$silo_dir" "$FF_LOG_DIR/silo$n.log" \
    "Cluster__SiloPort=$silo_port" "Cluster__GatewayPort=$gateway_port" "Metrics__SiloPort=$metrics_port" -- dotnet "$silo_dir/FanForge.Silo.dll"
ff_say "silo$n started again (pid $!, $silo_port/$gateway_port), log $FF_LOG_DIR/silo$n.log"
