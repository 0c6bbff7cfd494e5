#!/usr/bin/env bash
# Stops exactly what deploy/local/start.sh recorded in its state directory, then removes that directory.
#   API and silos: SIGTERM by pid (graceful: silos leave the membership table), up to 20 s, then SIGKILL.
#   PostgreSQL:    pg_ctl stop -m fast (as the postgres user when root), then signals if it is still there.
# A pid is only signalled while it still has the start time recorded for it, so a recycled pid is never hit.
# Nothing is ever looked up or killed by name.
#
# Environment: FANFORGE_LOCAL_DIR (default /tmp/fanforge-local), FANFORGE_STOP_TIMEOUT (default 20 seconds).
set -euo pipefail

# shellcheck source=deploy/local/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

case ${1:-} in
-h | --help)
    sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
"") ;;
*)
    ff_err "unknown argument: $1"
    exit 2
    ;;
esac

if [[ ! -e $FF_STATE_DIR ]]; then
    ff_say "nothing to stop: $FF_STATE_DIR does not exist"
    exit 0
fi
if [[ ! -f $FF_MARKER ]]; then
    ff_err "$FF_STATE_DIR was not created by start.sh (no marker file); not touching it"
    exit 1
fi

live=$(ff_live_processes)
if [[ -n $live ]]; then
    ff_say "stopping the cluster in $FF_STATE_DIR:"
    while read -r name pid; do printf '    %s (pid %s)\n' "$name" "$pid"; done <<<"$live"
else
    ff_say "no recorded process is running"
fi

if ! ff_stop_recorded; then
    ff_err "some recorded processes survived; keeping $FF_STATE_DIR for inspection"
    exit 1
fi

# Verify against the pids file once more, then remove the state directory.
recorded=()
if [[ -r $FF_PIDS_FILE ]]; then
    while read -r name pid start; do
        [[ -n ${name:-} ]] || continue
        recorded+=("$pid")
        if ff_alive "$pid" "$start"; then
            ff_err "$name (pid $pid) is still alive; keeping $FF_STATE_DIR"
            exit 1
        fi
    done <"$FF_PIDS_FILE"
fi
if pm=$(ff_postmaster_pid_from_file) && ff_alive "$pm"; then
    ff_err "PostgreSQL (pid $pm) is still running; keeping $FF_STATE_DIR"
    exit 1
fi

rm -rf -- "$FF_STATE_DIR"
ff_say "stopped; verified no recorded pid is alive (${recorded[*]:-none}); removed $FF_STATE_DIR"
