#!/bin/sh
# Entrypoint of the FanForge image. The first argument picks the role:
#   silo [args]      headless silo:  dotnet /app/silo/FanForge.Silo.dll
#   api [args]       the API:        dotnet /app/api/FanForge.Api.dll (set Api__Hosting=Client to join silos)
#   migrate          apply the schema to ConnectionStrings__Postgres and exit (safe to run repeatedly/concurrently)
#   anything else    executed as given (e.g. "sh" to look around)
# Silo and api advertise this container's IP unless Cluster__AdvertisedAddress is already set (Kubernetes sets it
# to status.podIP): on Docker it comes from `hostname -i`, the address other containers reach us on.
set -eu

advertise_container_ip() {
    if [ -n "${Cluster__AdvertisedAddress:-}" ]; then
        return 0
    fi
    addr=""
    for candidate in $(hostname -i 2>/dev/null || true); do
        case $candidate in
        127.* | *:*) ;;                  # skip loopback and IPv6
        *) addr=$candidate; break ;;
        esac
    done
    if [ -z "$addr" ]; then
        addr=$(getent hosts "$(cat /proc/sys/kernel/hostname)" 2>/dev/null | awk '$1 !~ /:/ && $1 !~ /^127\./ { print $1; exit }')
    fi
    if [ -n "$addr" ]; then
        export Cluster__AdvertisedAddress="$addr"
        echo "fanforge-entrypoint: advertising $addr" >&2
    fi
    # Otherwise leave it unset: the silo then advertises the host's first non-loopback address.
}

role=${1:-silo}
case $role in
silo)
    [ $# -gt 0 ] && shift
    advertise_container_ip
    cd /app/silo
    exec dotnet /app/silo/FanForge.Silo.dll "$@"
    ;;
api)
    shift
    advertise_container_ip
    cd /app/api
    exec dotnet /app/api/FanForge.Api.dll "$@"
    ;;
migrate)
    cd /app/silo
    exec dotnet /app/silo/FanForge.Silo.dll migrate
    ;;
*)
    exec "$@"
    ;;
esac
