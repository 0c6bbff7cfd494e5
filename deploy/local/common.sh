# shellcheck shell=bash
# Shared by deploy/local/start.sh and deploy/local/stop.sh. Sourced, not executed.
#
# The state directory holds everything one local cluster owns:
#   .fanforge-local   marker: this directory was created by start.sh (never rm -rf anything without it)
#   pids              one line per process start.sh started: NAME PID STARTTIME
#                     (STARTTIME is field 22 of /proc/PID/stat, so a recycled pid is never mistaken for ours)
#   cluster.env       the non-secret settings of this run (ClusterId, ports), for humans and stop.sh
#   logs/             build.log, postgres.log, migrate.log, silo1.log, silo2.log, api.log
#   pg/               PostgreSQL data directory, unix socket and the generated superuser password (mode 600)

FF_REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FF_STATE_DIR=${FANFORGE_LOCAL_DIR:-/tmp/fanforge-local}
FF_MARKER=$FF_STATE_DIR/.fanforge-local
FF_PIDS_FILE=$FF_STATE_DIR/pids
FF_PG_DIR=$FF_STATE_DIR/pg
FF_PG_DATA=$FF_PG_DIR/data
FF_LOG_DIR=$FF_STATE_DIR/logs
FF_STOP_TIMEOUT=${FANFORGE_STOP_TIMEOUT:-20}

ff_say() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
ff_err() { printf '[%s] ERROR: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Directory holding initdb/pg_ctl: $FANFORGE_PG_BIN, else the newest /usr/lib/postgresql/N/bin, else PATH.
ff_pg_bin() {
    if [[ -n ${FANFORGE_PG_BIN:-} && -x ${FANFORGE_PG_BIN}/initdb && -x ${FANFORGE_PG_BIN}/pg_ctl ]]; then
        printf '%s\n' "$FANFORGE_PG_BIN"
        return 0
    fi
    local dir best="" best_version=-1 version
    for dir in /usr/lib/postgresql/*/bin; do
        [[ -x $dir/initdb && -x $dir/pg_ctl ]] || continue
        version=${dir#/usr/lib/postgresql/}
        version=${version%%/*}
        [[ $version =~ ^[0-9]+$ ]] || continue
        if ((version > best_version)); then
            best_version=$version
            best=$dir
        fi
    done
    if [[ -n $best ]]; then
        printf '%s\n' "$best"
        return 0
    fi
    local initdb
    initdb=$(command -v initdb 2>/dev/null) || return 1
    [[ -x $(dirname "$initdb")/pg_ctl ]] || return 1
    dirname "$initdb"
}

# Runs a PostgreSQL server tool as the postgres user when we are root (initdb and postgres refuse root).
ff_as_pg() {
    if ((EUID == 0)); then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# Prints the kernel start time of PID (clock ticks since boot), or fails if there is no such process.
ff_starttime() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }          # drop "pid (comm) "; comm may contain spaces and parentheses
    # shellcheck disable=SC2086
    set -- $stat               # now $1 is field 3 (state), so field 22 (starttime) is $20
    printf '%s\n' "${20}"
}

# True when PID runs (a zombie counts as gone) and, if given, has the recorded start time.
ff_alive() {
    local pid=$1 expected=${2:-} stat state
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    state=${stat%% *}
    [[ $state != Z && $state != X ]] || return 1
    if [[ -n $expected ]]; then
        [[ $(ff_starttime "$pid" 2>/dev/null) == "$expected" ]] || return 1
    fi
    return 0
}

# Appends NAME PID STARTTIME to the pids file.
ff_record() {
    local name=$1 pid=$2 start
    start=$(ff_starttime "$pid") || {
        ff_err "$name (pid $pid) exited immediately"
        return 1
    }
    printf '%s %s %s\n' "$name" "$pid" "$start" >>"$FF_PIDS_FILE"
}

# The postmaster pid from the data directory's postmaster.pid (first line), if any.
ff_postmaster_pid_from_file() {
    local line
    [[ -r $FF_PG_DATA/postmaster.pid ]] || return 1
    IFS= read -r line <"$FF_PG_DATA/postmaster.pid" || return 1
    [[ $line =~ ^[0-9]+$ ]] || return 1
    printf '%s\n' "$line"
}

# True when process $1 was started for our data directory (its command line names $FF_PG_DATA), so a stale
# postmaster.pid whose pid was reused by another process is never signalled.
ff_serves_our_data() {
    local cmdline
    cmdline=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || return 1
    [[ $cmdline == *"$FF_PG_DATA"* ]]
}

# Prints "NAME PID" for every recorded process that is still ours and alive; also a postmaster the pids file
# does not know about (start.sh interrupted between pg_ctl start and recording it).
ff_live_processes() {
    local name pid start pm
    if [[ -r $FF_PIDS_FILE ]]; then
        while read -r name pid start; do
            [[ -n ${name:-} ]] || continue
            if ff_alive "$pid" "$start"; then
                printf '%s %s\n' "$name" "$pid"
            fi
        done <"$FF_PIDS_FILE"
    fi
    if pm=$(ff_postmaster_pid_from_file) && ff_alive "$pm"; then
        if ! grep -q "^postgres $pm " "$FF_PIDS_FILE" 2>/dev/null; then
            printf 'postgres %s\n' "$pm"
        fi
    fi
}

# True when something is listening on TCP port $1 (any address).
ff_port_in_use() {
    local port=$1
    if command -v ss >/dev/null 2>&1; then
        [[ -n $(ss -Hltn "( sport = :$port )" 2>/dev/null) ]]
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
    fi
}

# Sends SIGTERM to the given "PID:STARTTIME" entries, waits up to FF_STOP_TIMEOUT seconds, then SIGKILLs leftovers.
ff_terminate() {
    local label=$1
    shift
    local entry pid start live=()
    for entry in "$@"; do
        pid=${entry%%:*}
        start=${entry#*:}
        if ff_alive "$pid" "$start"; then
            live+=("$entry")
            kill -TERM "$pid" 2>/dev/null || true
        fi
    done
    ((${#live[@]} > 0)) || return 0
    ff_say "SIGTERM sent to $label (pid ${live[*]%%:*}); waiting up to ${FF_STOP_TIMEOUT}s"
    local deadline=$((SECONDS + FF_STOP_TIMEOUT)) any
    while :; do
        any=0
        for entry in "${live[@]}"; do
            ff_alive "${entry%%:*}" "${entry#*:}" && any=1
        done
        ((any == 0)) && return 0
        ((SECONDS >= deadline)) && break
        sleep 0.5
    done
    for entry in "${live[@]}"; do
        if ff_alive "${entry%%:*}" "${entry#*:}"; then
            ff_say "pid ${entry%%:*} ($label) did not exit after ${FF_STOP_TIMEOUT}s: SIGKILL"
            kill -KILL "${entry%%:*}" 2>/dev/null || true
        fi
    done
    deadline=$((SECONDS + 5))
    while ((SECONDS < deadline)); do
        any=0
        for entry in "${live[@]}"; do
            ff_alive "${entry%%:*}" "${entry#*:}" && any=1
        done
        ((any == 0)) && return 0
        sleep 0.2
    done
    return 0
}

# Stops everything recorded in the state directory: API, then silos, then PostgreSQL (pg_ctl, as postgres when
# root). Returns 0 when no recorded process (nor any postmaster child seen before the stop) is alive afterwards.
ff_stop_recorded() {
    local name pid start
    local api=() silos=() others=() pg_pid="" pg_start=""
    if [[ -r $FF_PIDS_FILE ]]; then
        while read -r name pid start; do
            [[ -n ${name:-} ]] || continue
            case $name in
            api) api+=("$pid:$start") ;;
            silo*) silos+=("$pid:$start") ;;
            postgres) pg_pid=$pid pg_start=$start ;;
            *) others+=("$pid:$start") ;;
            esac
        done <"$FF_PIDS_FILE"
    fi
    # postmaster.pid names the running postmaster; after a pg_ctl restart that is no longer the one start.sh
    # recorded, so the file's wins whenever it is alive and serves our data directory.
    if pid=$(ff_postmaster_pid_from_file) && ff_alive "$pid" && ff_serves_our_data "$pid" && [[ $pid != "$pg_pid" ]]; then
        [[ -z $pg_pid ]] || ff_say "PostgreSQL was restarted: stopping pid $pid from postmaster.pid (recorded pid $pg_pid is gone)"
        pg_pid=$pid
        pg_start=$(ff_starttime "$pid" || true)
    fi

    ((${#api[@]} == 0)) || ff_terminate "api" "${api[@]}"
    ((${#silos[@]} == 0)) || ff_terminate "silos" "${silos[@]}"
    ((${#others[@]} == 0)) || ff_terminate "other" "${others[@]}"

    local pg_children=()
    if [[ -n $pg_pid ]] && ff_alive "$pg_pid" "$pg_start"; then
        # Remember the postmaster's children (checkpointer, walwriter, backends...) to verify they are gone too.
        local child
        for child in $(ps -o pid= --ppid "$pg_pid" 2>/dev/null); do
            pg_children+=("$child:$(ff_starttime "$child" 2>/dev/null || echo gone)")
        done
        local pg_bin
        if [[ -f $FF_PG_DATA/postmaster.pid ]] && pg_bin=$(ff_pg_bin); then
            ff_say "stopping PostgreSQL (pid $pg_pid) with pg_ctl stop -m fast"
            if ! ff_as_pg "$pg_bin/pg_ctl" -D "$FF_PG_DATA" -m fast -w -t "$FF_STOP_TIMEOUT" stop >/dev/null 2>&1; then
                ff_say "pg_ctl stop did not finish; signalling the postmaster directly"
            fi
        fi
        ff_terminate "postgres" "$pg_pid:$pg_start"
        ((${#pg_children[@]} == 0)) || ff_terminate "postgres children" "${pg_children[@]}"
    fi

    local left=() entry
    for entry in "${api[@]}" "${silos[@]}" "${others[@]}" ${pg_pid:+"$pg_pid:$pg_start"} "${pg_children[@]}"; do
        ff_alive "${entry%%:*}" "${entry#*:}" && left+=("${entry%%:*}")
    done
    if ((${#left[@]} > 0)); then
        ff_err "still alive after stop: pid ${left[*]}"
        return 1
    fi
    return 0
}

# Exports the settings every process of the local cluster shares: ff_export_cluster_env PG_PORT PG_PASSWORD CLUSTER_ID
# LOG_FORMAT. The password goes through the environment only, never argv or a log.
ff_export_cluster_env() {
    local pg_port=$1 pg_password=$2 cluster_id=$3 log_format=$4
    # Staging, not Production: there is no Algorand node to reach here, so the cluster runs the simulated ledger,
    # which Production refuses. Everything else is configured as production would be (PostgreSQL, secrets, CORS, JWT).
    export DOTNET_ENVIRONMENT=Staging ASPNETCORE_ENVIRONMENT=Staging
    # The simulated chain credits 1,000 ALGO to a wallet the first time it sends, so a fresh wallet can tip at once.
    export Algorand__Simulation__AutoFundMicroAlgo=1000000000
    export Logging__Format=$log_format
    export Cluster__Provider=Postgres
    export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$pg_port;Database=fanforge;Username=postgres;Password=$pg_password"
    export Cluster__ClusterId=$cluster_id Cluster__ServiceId=fanforge Cluster__AdvertisedAddress=127.0.0.1
    export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
}

# ff_launch NAME WORKDIR LOG ENV_ASSIGNMENTS... -- COMMAND...: starts COMMAND in its own session (so it outlives the
# calling script and terminal), with the extra environment, and records it in the pids file for stop.sh.
ff_launch() {
    local name=$1 dir=$2 log=$3
    shift 3
    local assignments=()
    while [[ $1 != -- ]]; do
        assignments+=("$1")
        shift
    done
    shift
    (
        for a in "${assignments[@]}"; do export "$a"; done
        cd "$dir"
        exec setsid "$@"
    ) </dev/null >>"$log" 2>&1 &
    ff_record "$name" "$!"
    disown "$!" # not a job of this script: no "Terminated"/"Aborted" notices from bash when it exits
}
