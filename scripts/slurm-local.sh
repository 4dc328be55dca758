#!/usr/bin/env bash
# Starts a single-node SLURM cluster on localhost (munged, slurmctld, slurmd) for the sweep integration test and
# for trying `autospec sweep slurm` without a cluster. Debian 12, as root. Idempotent: if the local cluster already
# answers, it only reports so. Exit 0 when `sinfo` shows an idle node, non-zero otherwise (CI treats that as
# "no scheduler here" and the test skips itself).
#
#   scripts/slurm-local.sh            # configure and start (packages must be installed)
#   scripts/slurm-local.sh --install  # apt-get install slurm-wlm munge first
#   scripts/slurm-local.sh --stop     # stop the daemons this script started
set -euo pipefail

conf_dir=/etc/slurm
state=/var/spool/autospec-slurm
log=/var/log/autospec-slurm

if [[ "${1:-}" == "--stop" ]]; then
    for d in slurmd slurmctld munged; do
        [[ -f "$state/$d.pid" ]] && kill "$(cat "$state/$d.pid")" 2>/dev/null || true
    done
    exit 0
fi

if [[ "${1:-}" == "--install" ]] && ! command -v slurmctld >/dev/null; then
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge >/dev/null
fi
for tool in munged slurmctld slurmd sinfo sbatch; do
    command -v "$tool" >/dev/null || { echo "slurm-local: $tool not installed (run with --install, or apt-get install slurm-wlm munge)" >&2; exit 3; }
done
[[ $EUID -eq 0 ]] || { echo "slurm-local: must run as root" >&2; exit 3; }

if sinfo -h -r -o '%T' 2>/dev/null | grep -qE 'idle|mixed|allocated'; then
    echo "slurm-local: already running"; exit 0
fi

mkdir -p "$state/ctld" "$state/d" "$log" /run/munge "$conf_dir"
# munge: a key shared by the (single) node; the daemon refuses to run as root unless forced.
if [[ ! -s /etc/munge/munge.key ]]; then
    dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
fi
chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge 2>/dev/null || true
chmod 400 /etc/munge/munge.key
if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
    runuser -u munge -- munged --pid-file=/run/munge/munged.pid 2>/dev/null || munged --force
    sleep 1
fi
cp /run/munge/munged.pid "$state/munged.pid" 2>/dev/null || true

host=$(hostname -s)
cpus=$(nproc)
mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))
# No cgroups (containers rarely allow them): processes are tracked by parent id, tasks are not confined.
cat > "$conf_dir/slurm.conf" <<CONF
ClusterName=autospec-local
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$log/slurmctld.log
SlurmdLogFile=$log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
ReturnToService=2
MpiDefault=none
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
# slurmd 22.05 loads a cgroup plugin even with the settings above; an absent cgroup.conf lets it autodetect.
rm -f "$conf_dir/cgroup.conf"

alive() { [[ -f "$state/$1.pid" ]] && kill -0 "$(cat "$state/$1.pid")" 2>/dev/null; }
alive slurmctld || slurmctld
alive slurmd || slurmd
for _ in $(seq 1 30); do
    if sinfo -h -r -o '%T' 2>/dev/null | grep -qE 'idle|mixed|allocated'; then
        echo "slurm-local: node $host up ($cpus CPUs, ${mem} MB)"; exit 0
    fi
    scontrol update nodename="$host" state=resume >/dev/null 2>&1 || true
    sleep 1
done
echo "slurm-local: the node did not come up; see $log/slurmctld.log and $log/slurmd.log" >&2
sinfo >&2 || true
exit 4
