#!/usr/bin/env bash
# Starts a throwaway local FanForge cluster: PostgreSQL, schema migration, 2 headless silos and the API as a
# pure Orleans client. Stop it with deploy/local/stop.sh. See deploy/README.md.
#
# Usage: deploy/local/start.sh [--build]
#   --build   rebuild Release even if the dlls exist (otherwise it builds only when they are missing)
# Environment:
#   FANFORGE_LOCAL_DIR      state directory (default /tmp/fanforge-local)
#   FANFORGE_PG_PORT        PostgreSQL port (default 55432)
#   FANFORGE_API_PORT       API port (default 8000)
#   FANFORGE_READY_TIMEOUT  seconds to wait for /health/ready to list both silos (default 90)
#   FANFORGE_PG_BIN         directory with initdb/pg_ctl (default: newest /usr/lib/postgresql/*/bin)
#   FANFORGE_LOG_FORMAT     "text" (default, readable) or "json" (what production ships)
set -euo pipefail

# shellcheck source=deploy/local/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

BUILD=0
for arg in "$@"; do
    case $arg in
    --build) BUILD=1 ;;
    -h | --help)
        usage
        exit 0
        ;;
    *)
        ff_err "unknown argument: $arg"
        usage >&2
        exit 2
        ;;
    esac
done

PG_PORT=${FANFORGE_PG_PORT:-55432}
API_PORT=${FANFORGE_API_PORT:-8000}
READY_TIMEOUT=${FANFORGE_READY_TIMEOUT:-90}
LOG_FORMAT=${FANFORGE_LOG_FORMAT:-text}
SILO_PORTS=(11111 11112)
GATEWAY_PORTS=(30000 30001)
METRICS_PORTS=(9464 9465)
SILO_DIR=$FF_REPO_ROOT/silo/bin/Release/net10.0
API_DIR=$FF_REPO_ROOT/api/bin/Release/net10.0
SILO_DLL=$SILO_DIR/FanForge.Silo.dll
API_DLL=$API_DIR/FanForge.Api.dll
T0=$(date +%s%N)

elapsed() { printf '%d.%01d' $((($(date +%s%N) - T0) / 1000000000)) $(((($(date +%s%N) - T0) / 100000000) % 10)); }

# --- 1. Refuse to start over a running cluster; clear a stale state directory --------------------------------
if [[ -e $FF_STATE_DIR ]]; then
    live=$(ff_live_processes)
    if [[ -n $live ]]; then
        ff_err "$FF_STATE_DIR already holds a running cluster:"
        while read -r name pid; do printf '    %s (pid %s)\n' "$name" "$pid" >&2; done <<<"$live"
        ff_err "refusing to start a second one; run deploy/local/stop.sh first (or set FANFORGE_LOCAL_DIR)."
        exit 1
    fi
    if [[ ! -f $FF_MARKER ]] && [[ -n $(ls -A "$FF_STATE_DIR" 2>/dev/null) ]]; then
        ff_err "$FF_STATE_DIR exists, is not empty and was not created by start.sh; refusing to touch it."
        exit 1
    fi
    ff_say "removing stale state directory $FF_STATE_DIR (nothing in it is running)"
    rm -rf -- "$FF_STATE_DIR"
fi

# --- 2. Preflight: tools and free ports (before anything is started) --------------------------------------------
command -v dotnet >/dev/null || { ff_err "dotnet not found on PATH"; exit 1; }
command -v curl >/dev/null || { ff_err "curl not found on PATH"; exit 1; }
PG_BIN=$(ff_pg_bin) || { ff_err "PostgreSQL server binaries (initdb, pg_ctl) not found; set FANFORGE_PG_BIN"; exit 1; }
if ((EUID == 0)) && ! id postgres >/dev/null 2>&1; then
    ff_err "running as root needs a 'postgres' user for initdb/pg_ctl"
    exit 1
fi
busy=()
for port in "$PG_PORT" "${SILO_PORTS[@]}" "${GATEWAY_PORTS[@]}" "${METRICS_PORTS[@]}" "$API_PORT"; do
    ff_port_in_use "$port" && busy+=("$port")
done
if ((${#busy[@]} > 0)); then
    ff_err "port(s) already in use: ${busy[*]} (FANFORGE_PG_PORT / FANFORGE_API_PORT move PostgreSQL and the API)"
    exit 1
fi

mkdir -p -- "$(dirname "$FF_STATE_DIR")"
mkdir -- "$FF_STATE_DIR" # atomic: a concurrent start.sh loses here
chmod 755 "$FF_STATE_DIR"
: >"$FF_MARKER"
: >"$FF_PIDS_FILE"
mkdir -p "$FF_LOG_DIR"

# --- From here on, a failure prints the relevant log and stops whatever this run started ----------------------
STEP="setup"
CURRENT_LOG=""
READY=0
on_exit() {
    local rc=$?
    ((READY == 1)) && return 0
    trap - EXIT INT TERM
    set +e
    ff_err "start.sh failed (exit $rc) while: $STEP"
    local log
    for log in $CURRENT_LOG; do
        if [[ -s $log ]]; then
            printf -- '----- last 40 lines of %s -----\n' "$log" >&2
            tail -n 40 "$log" >&2
            printf -- '----- end of %s -----\n' "$log" >&2
        fi
    done
    ff_say "stopping what this run started"
    ff_stop_recorded
    rm -rf -- "$FF_PG_DIR"
    ff_say "logs kept in $FF_LOG_DIR (the next start.sh or stop.sh removes them)"
    exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 3. Build (once) ---------------------------------------------------------------------------------------------
if ((BUILD == 1)) || [[ ! -f $SILO_DLL || ! -f $API_DLL ]]; then
    STEP="building Release (dotnet build -c Release --disable-build-servers FanForge.sln)"
    CURRENT_LOG=$FF_LOG_DIR/build.log
    ff_say "$STEP"
    # --disable-build-servers: leave no MSBuild node or compiler server running after the build.
    dotnet build -c Release --disable-build-servers "$FF_REPO_ROOT/FanForge.sln" >"$CURRENT_LOG" 2>&1
fi

# --- 4. PostgreSQL -----------------------------------------------------------------------------------------------
STEP="starting PostgreSQL on 127.0.0.1:$PG_PORT"
CURRENT_LOG=$FF_LOG_DIR/postgres.log
ff_say "$STEP ($PG_BIN)"
mkdir -m 700 "$FF_PG_DIR"
: >"$CURRENT_LOG"
# A fresh random superuser password: never printed, kept mode 600 in the state dir for psql (see README).
PG_PASSWORD=$(head -c 48 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9')
(umask 077 && printf '%s\n' "$PG_PASSWORD" >"$FF_PG_DIR/password")
if ((EUID == 0)); then
    chown -R postgres: "$FF_PG_DIR" "$CURRENT_LOG"
fi
ff_as_pg "$PG_BIN/initdb" -D "$FF_PG_DATA" -U postgres --pwfile="$FF_PG_DIR/password" \
    --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --no-sync >>"$CURRENT_LOG" 2>&1
ff_as_pg "$PG_BIN/pg_ctl" -D "$FF_PG_DATA" -l "$CURRENT_LOG" -w -t 60 \
    -o "-p $PG_PORT -k $FF_PG_DIR -c listen_addresses=127.0.0.1" start >/dev/null
PG_PID=$(ff_postmaster_pid_from_file)
ff_record postgres "$PG_PID"
PGPASSWORD=$PG_PASSWORD "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres fanforge >>"$CURRENT_LOG" 2>&1
ff_say "PostgreSQL ready (postmaster pid $PG_PID), database fanforge created"

# --- 5. Configuration shared by migrate, silos and API (the password stays in the environment, never argv) ----
CLUSTER_ID="local-$(date +%Y%m%d-%H%M%S)-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
ff_export_cluster_env "$PG_PORT" "$PG_PASSWORD" "$CLUSTER_ID" "$LOG_FORMAT"
cat >"$FF_STATE_DIR/cluster.env" <<EOF
# Non-secret settings of this local cluster (the PostgreSQL password is in pg/password, mode 600).
CLUSTER_ID=$CLUSTER_ID
SERVICE_ID=fanforge
PG_PORT=$PG_PORT
API_URL=http://127.0.0.1:$API_PORT
SILOS=127.0.0.1:${SILO_PORTS[0]}/${GATEWAY_PORTS[0]} 127.0.0.1:${SILO_PORTS[1]}/${GATEWAY_PORTS[1]}
REPO=$FF_REPO_ROOT
LOG_FORMAT=$LOG_FORMAT
EOF

# --- 6. Schema migration (the silos would also migrate at start, under an advisory lock) ----------------------
STEP="migrating the schema (dotnet FanForge.Silo.dll migrate)"
CURRENT_LOG=$FF_LOG_DIR/migrate.log
ff_say "$STEP"
(cd "$SILO_DIR" && exec dotnet "$SILO_DLL" migrate) </dev/null >"$CURRENT_LOG" 2>&1 &
ff_record migrate "$!"
wait "$!" # recorded, so an interrupted start.sh stops it too; a non-zero exit fails the step
ff_say "$(grep -m1 '^schema:' "$CURRENT_LOG" || echo 'schema migrated')"

# --- 7. Silos and API, each in its own session so they outlive this script and the terminal --------------------
for i in 0 1; do
    n=$((i + 1))
    STEP="starting silo$n (silo port ${SILO_PORTS[i]}, gateway ${GATEWAY_PORTS[i]})"
    CURRENT_LOG=$FF_LOG_DIR/silo$n.log
    ff_launch "silo$n" "$SILO_DIR" "$CURRENT_LOG" \
        "Cluster__SiloPort=${SILO_PORTS[i]}" "Cluster__GatewayPort=${GATEWAY_PORTS[i]}" "Metrics__SiloPort=${METRICS_PORTS[i]}" -- dotnet "$SILO_DLL"
    ff_say "silo$n started (pid $!, ${SILO_PORTS[i]}/${GATEWAY_PORTS[i]}), log $CURRENT_LOG"
done

STEP="starting the API (client mode) on http://127.0.0.1:$API_PORT"
CURRENT_LOG=$FF_LOG_DIR/api.log
# A fresh JWT signing key per cluster start (production refuses a missing or dev key): tokens end with the cluster.
# Like the database password it goes through the environment only, never argv or a log.
JWT_KEY=$(head -c 48 /dev/urandom | base64 -w0)
ff_launch api "$API_DIR" "$CURRENT_LOG" \
    Api__Hosting=Client "Cors__AllowedOrigins__0=http://localhost:5173" "Auth__JwtSigningKey=$JWT_KEY" -- \
    dotnet "$API_DLL" --urls "http://127.0.0.1:$API_PORT"
ff_say "api started (pid $!), log $CURRENT_LOG"

# --- 8. Wait until readiness lists both silos ----------------------------------------------------------------------
STEP="waiting up to ${READY_TIMEOUT}s for /health/ready to report 2 active silos"
CURRENT_LOG="$FF_LOG_DIR/api.log $FF_LOG_DIR/silo1.log $FF_LOG_DIR/silo2.log"
ff_say "$STEP"
READY_URL=http://127.0.0.1:$API_PORT/health/ready
deadline=$((SECONDS + READY_TIMEOUT))
body=""
while :; do
    # A process that died will not come back: fail now with its log, not after the timeout.
    while read -r name pid start; do
        [[ $name == postgres || $name == migrate ]] && continue
        if ! ff_alive "$pid" "$start"; then
            CURRENT_LOG=$FF_LOG_DIR/$name.log
            STEP="$name (pid $pid) exited before the cluster became ready"
            exit 1
        fi
    done <"$FF_PIDS_FILE"
    body=$(curl -s --max-time 5 "$READY_URL" || true)
    if [[ $body == '{"status":"ready"'* && $body =~ \"activeSilos\":([0-9]+) ]] && ((BASH_REMATCH[1] == 2)); then
        break
    fi
    if ((SECONDS >= deadline)); then
        ff_err "last /health/ready response: ${body:-(none)}"
        exit 1
    fi
    sleep 1
done
READY=1

ff_say "cluster ready after $(elapsed)s: $READY_URL"
if command -v jq >/dev/null 2>&1; then
    jq . <<<"$body"
else
    printf '%s\n' "$body"
fi
cat <<EOF
State dir : $FF_STATE_DIR (pids, cluster.env, logs/)
ClusterId : $CLUSTER_ID   ServiceId: fanforge
PostgreSQL: 127.0.0.1:$PG_PORT db fanforge user postgres (password in $FF_PG_DIR/password)
Silos     : 127.0.0.1:${SILO_PORTS[0]} (gateway ${GATEWAY_PORTS[0]}, metrics http://127.0.0.1:${METRICS_PORTS[0]}/metrics), 127.0.0.1:${SILO_PORTS[1]} (gateway ${GATEWAY_PORTS[1]}, metrics http://127.0.0.1:${METRICS_PORTS[1]}/metrics)
API       : http://127.0.0.1:$API_PORT  (docs at /docs)
Processes :
$(grep -v '^migrate ' "$FF_PIDS_FILE" | sed 's/^\([^ ]*\) \([0-9]*\) .*/    \1 pid \2/')
Stop with : $FF_REPO_ROOT/deploy/local/stop.sh
EOF
