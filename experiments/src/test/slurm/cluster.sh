#!/usr/bin/env bash
# A single-node Slurm cluster on localhost for the tests, in a folder of its own: its own munge
# key and socket, slurm.conf, state, spool and logs; no cgroups (proctrack/linuxproc, task/none).
# Needs root (slurmd) and Debian's slurmctld, slurmd, slurm-client and munge.
#   cluster.sh start DIR CTLD_PORT SLURMD_PORT [OWNER_PID]   # clients then need SLURM_CONF=DIR/slurm.conf
#   cluster.sh stop DIR
# start returns once the node takes jobs; with OWNER_PID, a watchdog stops the cluster when that
# process ends (a test JVM killed before it could stop it). stop cancels every job, then ends the
# daemons and any job process left over: the daemons run with HYBRIDLAB_SLURM_CLUSTER=DIR in their
# environment, and so do the jobs of clients that set it (the tests do), and this script never does.
set -euo pipefail

NODE=hlnode
SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"

die() {
  echo "cluster.sh: $*" >&2
  exit 1
}

# Stops what start began, then fails: start leaves nothing running when it fails.
fail() {
  local dir="$1"
  shift
  echo "cluster.sh: $*" >&2
  stop "$dir" >&2 || true
  exit 1
}

start() {
  local dir ctld_port slurmd_port owner host conf
  dir="$(cd "$1" && pwd)" ctld_port="$2" slurmd_port="$3" owner="${4:-}"
  [ "$(id -u)" = 0 ] || die "slurmd needs root"
  for c in munged mungekey slurmctld slurmd sbatch sinfo scancel; do
    command -v "$c" >/dev/null || die "$c is not installed (apt-get install slurmctld slurmd slurm-client munge)"
  done
  host="$(hostname -s)"
  conf="$dir/slurm.conf"
  # munged wants its socket folder (and the folders above) searchable by all, its key private
  chmod 755 "$dir"
  mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
  chmod 755 "$dir/munge"
  mkdir -p -m 700 "$dir/munge/private"
  mungekey --create --keyfile="$dir/munge/private/munge.key" 2>/dev/null || dd if=/dev/urandom of="$dir/munge/private/munge.key" bs=1024 count=1 status=none
  chmod 600 "$dir/munge/private/munge.key"
  cat > "$conf" <<EOF
ClusterName=hybridlab-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
# cred_expire is also how long a requeued job waits before it may start again (default 120 s)
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket,cred_expire=10
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=2
MpiDefault=none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
# finished jobs stay visible to scontrol show job for the test's checks
MinJobAge=3600
# the node's CPUs and memory as written here, whatever the machine has: 3 tasks and the report job at once
SlurmdParameters=config_overrides
NodeName=$NODE NodeAddr=127.0.0.1 NodeHostname=$host CPUs=4 RealMemory=4000 State=UNKNOWN
PartitionName=test Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
  touch "$dir/running"
  export SLURM_CONF="$conf"
  local mark="HYBRIDLAB_SLURM_CLUSTER=$dir"
  env "$mark" munged --socket="$dir/munge/munge.socket" --key-file="$dir/munge/private/munge.key" --pid-file="$dir/munge/munged.pid" \
    --log-file="$dir/log/munged.log" --seed-file="$dir/munge/private/munged.seed" </dev/null >>"$dir/log/daemons.out" 2>&1 \
    || fail "$dir" "munged did not start: $(tail -3 "$dir/log/munged.log" 2>/dev/null)"
  if [ -n "$owner" ]; then
    setsid bash -c 'while kill -0 "$1" 2>/dev/null && [ -f "$2/running" ]; do sleep 1; done; if [ -f "$2/running" ]; then "$3" stop "$2"; fi' \
      watchdog "$owner" "$dir" "$SELF" </dev/null >>"$dir/log/watchdog.log" 2>&1 &
    echo $! > "$dir/watchdog.pid"
  fi
  env "$mark" slurmctld -f "$conf" -c </dev/null >>"$dir/log/daemons.out" 2>&1 || fail "$dir" "slurmctld did not start: $(tail -3 "$dir/log/slurmctld.log" 2>/dev/null)"
  env "$mark" slurmd -f "$conf" -N "$NODE" </dev/null >>"$dir/log/daemons.out" 2>&1 || fail "$dir" "slurmd did not start: $(tail -3 "$dir/log/slurmd.log" 2>/dev/null)"
  local state=""
  for _ in $(seq 120); do
    state="$(sinfo -h -n "$NODE" -o %T 2>/dev/null || true)"
    [ "$state" = idle ] && return 0
    sleep 0.5
  done
  fail "$dir" "node $NODE not idle after 60 s (state '$state'): $(tail -3 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" 2>/dev/null)"
}

# Process ids of what this cluster runs: its daemons, and every process marked as its own.
cluster_pids() {
  local dir="$1" f p
  for f in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
    [ -f "$f" ] && p="$(cat "$f")" && [ -n "$p" ] && kill -0 "$p" 2>/dev/null && echo "$p"
  done
  for p in /proc/[0-9]*; do
    p="${p#/proc/}"
    if { tr '\0' '\n' < "/proc/$p/environ"; } 2>/dev/null | grep -qx "HYBRIDLAB_SLURM_CLUSTER=$dir"; then
      echo "$p"
    fi
  done
  return 0
}

stop() {
  local dir
  dir="$(cd "$1" && pwd)"
  rm -f "$dir/running"
  local conf="$dir/slurm.conf"
  if [ -f "$dir/watchdog.pid" ] && [ "$(cat "$dir/watchdog.pid")" != "$PPID" ]; then
    kill "$(cat "$dir/watchdog.pid")" 2>/dev/null || true
  fi
  if [ -f "$dir/slurmctld.pid" ] && kill -0 "$(cat "$dir/slurmctld.pid")" 2>/dev/null; then
    SLURM_CONF="$conf" scancel --user=root >/dev/null 2>&1 || true
    for _ in $(seq 20); do
      [ -z "$(SLURM_CONF="$conf" squeue -h -t running,completing 2>/dev/null)" ] && break
      sleep 0.5
    done
  fi
  local pids
  pids="$(cluster_pids "$dir" | sort -u | tr '\n' ' ')"
  [ -z "$pids" ] || kill -TERM $pids 2>/dev/null || true
  for _ in $(seq 20); do
    pids="$(cluster_pids "$dir" | sort -u | tr '\n' ' ')"
    [ -z "$pids" ] && return 0
    sleep 0.5
  done
  kill -KILL $pids 2>/dev/null || true
  sleep 0.5
  pids="$(cluster_pids "$dir" | tr '\n' ' ')"
  [ -z "$pids" ] || die "processes left running: $pids"
}

case "${1:-}" in
  start) [ $# -ge 4 ] || die "usage: cluster.sh start DIR CTLD_PORT SLURMD_PORT [OWNER_PID]"; start "${@:2}" ;;
  stop) [ $# -eq 2 ] || die "usage: cluster.sh stop DIR"; stop "$2" ;;
  *) die "usage: cluster.sh start DIR CTLD_PORT SLURMD_PORT [OWNER_PID] | stop DIR" ;;
esac
