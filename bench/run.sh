#!/usr/bin/env bash
# Runs the Tidings benchmarks: Tidings, nchan and a Node.js EventEmitter server under the same
# load generator, alternating run by run; writes bench/RESULTS.md and the charts in bench/results/
# (with --quick, a short smoke run: bench/results/quick/). With --profile, runs Tidings alone
# under JFR and writes bench/results/profile.txt. With --rolling, restarts three replicas behind an
# nginx balancer one by one under load and writes bench/RESULTS-rolling.md.
#
#   bench/run.sh [--quick] [--profile|--rolling] [--no-build] [bench options…]   (bench/run.sh --help lists them)
#
# Installs nginx with nchan (apt-get; plain nginx for --rolling), Node.js and (for --servers tidings-redis…) redis-server when missing, builds the server and the bench
# with ./mvnw, raises the open-files limit to its hard cap, then runs the bench jar (Tidings on a
# JDK 25 when there is one, as in its container image).
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
servers="tidings,nchan,node"
rolling=0
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --servers) servers="${2:-}"; args+=("$1" "${2:-}"); shift ;;
    --profile) servers="tidings"; args+=("$1") ;;
    --rolling) rolling=1; args+=("$1") ;;
    -h|--help) args+=("$1"); build=0 ;;
    *) args+=("$1") ;;
  esac
  shift
done
if [ "$rolling" -eq 1 ] && [[ " ${args[*]} " != *" --servers "* ]]; then
  servers="tidings-redis-x3,nchan-redis-x3,tidings"
fi

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  # Keep Debian's maintainer scripts from starting the system nginx service on port 80.
  local made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  local status=0
  as_root apt-get update -qq || status=$?
  if [ "$status" -eq 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" || status=$?
  fi
  if [ "$made_policy" -eq 1 ]; then
    as_root rm -f /usr/sbin/policy-rc.d
  fi
  return "$status"
}

nchan_module_present() {
  for m in /usr/lib/nginx/modules/ngx_nchan_module.so /usr/share/nginx/modules/ngx_nchan_module.so \
           /usr/lib64/nginx/modules/ngx_nchan_module.so; do
    [ -f "$m" ] && return 0
  done
  return 1
}

if [[ ",$servers," == *",nchan"* ]]; then
  if ! { [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null; } || ! nchan_module_present; then
    echo "bench: installing nginx and nchan (libnginx-mod-nchan)"
    apt_install nginx libnginx-mod-nchan || apt_install nginx-light libnginx-mod-nchan
  fi
fi
if [ "$rolling" -eq 1 ] && ! { [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null; }; then
  echo "bench: installing nginx (the load balancer in front of the replicas)"
  apt_install nginx || apt_install nginx-light
fi
if [[ ",$servers," == *"-redis"* ]] && ! command -v redis-server >/dev/null; then
  echo "bench: installing redis-server"
  apt_install redis-server
fi
if [[ ",$servers," == *",node,"* ]] && ! command -v node >/dev/null; then
  echo "bench: installing Node.js"
  apt_install nodejs
fi

# Every connection is a file descriptor, in the bench and in the server (which inherits this).
hard=$(ulimit -Hn)
if [ "$hard" = "unlimited" ]; then hard=1048576; fi
ulimit -n "$hard"
if [ "$hard" -lt 20000 ]; then
  echo "bench: warning: open-files limit is $hard; 10 000 connections need more than 20 000" >&2
fi

# Tidings runs on the JDK of its container image (25) when this machine has one: TIDINGS_JAVA_HOME,
# else a JDK 25 under /usr/lib/jvm; else on the default java. --tidings-java DIR chooses one.
if [[ " ${args[*]:-} " != *" --tidings-java "* ]]; then
  for jdk in "${TIDINGS_JAVA_HOME:-}" /usr/lib/jvm/*-25-* /usr/lib/jvm/jdk-25*; do
    if [ -n "$jdk" ] && [ -x "$jdk/bin/java" ]; then
      args+=(--tidings-java "$jdk")
      break
    fi
  done
fi

if [ "$build" -eq 1 ]; then
  echo "bench: building the server and the bench"
  ./mvnw -B -q -DskipTests package -pl server,bench -am
fi

exec java -Xms256m -Xmx1g -XX:+UseSerialGC -Dbench.command="bench/run.sh ${args[*]:-}" \
  -jar bench/target/tidings-bench.jar --root . "${args[@]}"
