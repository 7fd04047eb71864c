#!/usr/bin/env bash
# tests/sweep/slurm_cluster.sh - a private one-node Slurm cluster on this machine, for tests.
#
# Needs Debian's slurm-wlm and munge (slurmctld, slurmd, sbatch, squeue, sinfo, munged,
# mungekey). No systemd, no root: the daemons are started by hand as the user who starts them
# (SlurmUser = SlurmdUser = that user, whose jobs they run), every path lives under one
# directory, the ports are picked free, so two clusters (two tests at once) do not meet.
#
# Sourced (bash), it defines:
#   slurm_cluster_start DIR [--feature F] [--gres NAME:COUNT]
#                             make DIR (created if missing; a fresh one) a cluster: a munge
#                             key, munged, slurm.conf for this host, slurmctld and slurmd; wait
#                             (bounded) until sinfo shows the node idle; export SLURM_CONF for
#                             the clients (sbatch, squeue, sinfo, scancel). Returns 1 with the
#                             daemons' logs on stderr when the cluster does not come up, after
#                             stopping what it started. A watchdog stops the cluster if the shell
#                             that started it dies without stopping it (even by SIGKILL).
#                             --feature: the node has feature F (for sbatch --constraint F);
#                             --gres: COUNT units of generic resource NAME (sbatch --gres
#                             NAME:1), e.g. fpga:2, a stand-in for an FPGA node's cards.
#   slurm_cluster_stop DIR    cancel every job, stop the daemons and whatever of the cluster
#                             still runs (job steps), wait until they are gone. Idempotent.
#   slurm_cluster_wait JOBID SECONDS   poll squeue until JOBID (an array: every task) has left
#                             the queue; 1 on timeout.
#   slurm_cluster_logs DIR    print the daemons' logs (the tail of each).
# Run as a program:
#   slurm_cluster.sh start DIR [--feature F] [--gres NAME:COUNT]
#                                     start, print "export SLURM_CONF=...", leave it running
#   slurm_cluster.sh stop DIR         stop it
#   slurm_cluster.sh run DIR CMD...   start, run CMD with SLURM_CONF set, stop; CMD's status
#
# The configuration (DIR/slurm.conf): SlurmUser = SlurmdUser = `id -un`; one node, this host
# (`hostname -s` at 127.0.0.1) with the CPU layout `slurmd -C` reports and RealMemory=256, in
# one default partition "debug"; select/cons_tres with CR_Core, proctrack/linuxproc, task/none,
# jobacct_gather/none, no accounting, no cgroups, MpiDefault=none, ReturnToService=2;
# sched/builtin every second (array tasks start within a second of a free CPU);
# AuthInfo=socket= the private munged's socket; state, spool, pid and log files under DIR.
#
# Stop finds the cluster's processes never by name: the daemons carry LP_SLURM_CLUSTER=DIR in
# their environment, slurmstepd keeps DIR's slurmd log open, a job descends from a slurmstepd.

# this file, by an absolute path (the watchdog runs it)
_SLURM_CLUSTER_SH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")

# _slurm_cluster_free_ports N: N distinct TCP ports nobody listens on (from /proc/net/tcp*)
_slurm_cluster_free_ports() {
    local n=$1 used=" " f port got=() i
    local -a line
    for f in /proc/net/tcp /proc/net/tcp6; do
        [ -r "$f" ] || continue
        while read -r -a line; do
            [ "${line[3]:-}" = 0A ] || continue
            port=${line[1]##*:}
            used+="$((16#$port)) "
        done <"$f"
    done
    while [ "${#got[@]}" -lt "$n" ]; do
        i=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
        case "$used" in *" $i "*) continue ;; esac
        used+="$i "
        got+=("$i")
    done
    echo "${got[@]}"
}

slurm_cluster_logs() {
    local d=$1 f
    # the daemons' log files; their stdout/stderr (the same lines with -D, but also what
    # came before the log file was open) shorter
    for f in "$d"/log/*.log "$d"/log/*.out; do
        [ -s "$f" ] || continue
        echo "--- $f"
        case "$f" in *.log) tail -n 30 "$f" ;; *) tail -n 8 "$f" ;; esac
    done
}

# _slurm_cluster_alive PID: PID runs (kill -0 is true of a zombie too: a daemon whose parent
# died is one until init reaps it)
_slurm_cluster_alive() {
    local stat
    read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
    stat=${stat##*) }
    [ "${stat%% *}" != Z ]
}

# _slurm_cluster_pids DIR: the live processes of the cluster at DIR: those whose environment
# says LP_SLURM_CLUSTER=DIR (the daemons; never exported by the shell that started them), those
# with a file open under DIR (slurmstepd keeps the slurmd log open; its environment is
# clobbered by its process title), and all their descendants (a job's own processes). Zombies
# are not counted: they are gone, only not reaped.
_slurm_cluster_pids() {
    local d=$1 mark="LP_SLURM_CLUSTER=$1" p e stat found=" " more
    local -a env f
    local -A parent=()
    for p in $(find /proc/[0-9]*/fd -maxdepth 1 -lname "$d/*" 2>/dev/null | cut -d/ -f3 | sort -u); do
        found+="$p "
    done
    for p in /proc/[0-9]*; do
        p=${p#/proc/}
        read -r stat 2>/dev/null <"/proc/$p/stat" || continue
        read -r -a f <<<"${stat##*) }"     # after "pid (comm) ": state ppid ...
        if [ "${f[0]}" = Z ] || [ "$p" = "$$" ] || [ "$p" = "$BASHPID" ]; then
            found=${found/ $p / }
            continue
        fi
        parent[$p]=${f[1]}
        case "$found" in *" $p "*) continue ;; esac
        mapfile -d '' env 2>/dev/null <"/proc/$p/environ" || continue
        for e in "${env[@]}"; do
            if [ "$e" = "$mark" ]; then found+="$p "; break; fi
        done
    done
    # add the children of what was found until nothing new
    more=1
    while [ "$more" = 1 ]; do
        more=0
        for p in "${!parent[@]}"; do
            case "$found" in *" $p "*) continue ;; esac
            case "$found" in *" ${parent[$p]} "*) found+="$p "; more=1 ;; esac
        done
    done
    for p in $found; do [ -n "${parent[$p]:-}" ] && echo "$p"; done
}

# _slurm_cluster_kill DIR: TERM the cluster's processes, wait up to 3 s, then KILL the rest
# (a slurmstepd whose slurmd is gone ignores TERM)
_slurm_cluster_kill() {
    local d=$1 i pids
    pids=$(_slurm_cluster_pids "$d")
    [ -n "$pids" ] || return 0
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null
    for ((i = 0; i < 30; i++)); do
        pids=$(_slurm_cluster_pids "$d")
        [ -n "$pids" ] || return 0
        sleep 0.1
    done
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null
    for ((i = 0; i < 20; i++)); do
        pids=$(_slurm_cluster_pids "$d")
        [ -n "$pids" ] || return 0
        sleep 0.1
    done
    echo "slurm_cluster: processes still running after SIGKILL: $pids" >&2
    return 1
}

slurm_cluster_stop() {
    local d=${1:-} w jobs i
    # only a directory slurm_cluster_start made (its mark), by its absolute path (the marks)
    [ -n "$d" ] && [ -f "$d/run/slurm_cluster" ] || return 0
    d=$(cd "$d" && pwd) || return 1
    [ "$d" != / ] || return 1
    # the watchdog first, so it does not race this stop
    if [ -f "$d/run/watchdog.pid" ]; then
        read -r w <"$d/run/watchdog.pid" && kill -TERM "$w" 2>/dev/null
        rm -f "$d/run/watchdog.pid"
    fi
    # cancel the jobs while the controller is up: the steps kill their processes themselves
    local ctld=""
    [ -f "$d/run/slurmctld.pid" ] && read -r ctld <"$d/run/slurmctld.pid"
    if [ -n "$ctld" ] && _slurm_cluster_alive "$ctld"; then
        jobs=$(SLURM_CONF="$d/slurm.conf" timeout 5 squeue -h -o %A 2>/dev/null)
        if [ -n "$jobs" ]; then
            # shellcheck disable=SC2086
            SLURM_CONF="$d/slurm.conf" timeout 5 scancel $jobs 2>/dev/null
            for ((i = 0; i < 50; i++)); do
                [ -z "$(SLURM_CONF="$d/slurm.conf" timeout 5 squeue -h -o %A 2>/dev/null)" ] && break
                sleep 0.1
            done
        fi
    fi
    _slurm_cluster_kill "$d"
    local rc=$? sdir
    if [ -f "$d/run/munge.dir" ] && read -r sdir <"$d/run/munge.dir"; then
        case "$sdir" in /tmp/lpsgd-munge.*) rm -rf "$sdir" ;; esac
        rm -f "$d/run/munge.dir"
    fi
    rm -f "$d"/run/*.pid "$d/run/slurm_cluster"
    return $rc
}

slurm_cluster_wait() {
    local id=$1 secs=$2 end out
    end=$((SECONDS + secs))
    while [ "$SECONDS" -lt "$end" ]; do
        # a job that has left the queue: empty output, or "Invalid job id" once purged
        out=$(squeue -h -j "$id" -o %i 2>&1) || { case "$out" in *Invalid*) return 0 ;; esac; }
        [ -z "$out" ] && return 0
        sleep 0.5
    done
    echo "slurm_cluster: job $id still queued after $secs s:" >&2
    squeue -j "$id" >&2
    return 1
}

# _slurm_cluster_up DIR CTLD_PORT SLURMD_PORT FEATURE GRES: one attempt; 0 when the node is idle
_slurm_cluster_up() {
    local d=$1 cport=$2 dport=$3 feature=$4 gres=$5 node hw i st extra="" types=""
    node=$(hostname -s)
    # the node as slurmd sees it (CPUs, sockets, cores, threads), else nproc CPUs; memory small
    hw=$(slurmd -C 2>/dev/null | sed -n 's/^NodeName=[^ ]* \(CPUs=.*\) RealMemory=.*/\1/p')
    [ -n "$hw" ] || hw="CPUs=$(nproc)"
    [ -n "$feature" ] && extra+=" Feature=$feature"
    if [ -n "$gres" ]; then
        extra+=" Gres=$gres"
        types="GresTypes=${gres%%:*}"
        echo "NodeName=$node Name=${gres%%:*} Count=${gres#*:}" >"$d/gres.conf"
    fi
    # munge: key dir private, socket dir searchable by all (munged checks both)
    cat >"$d/slurm.conf" <<EOF
# a private one-node cluster (tests/sweep/slurm_cluster.sh)
ClusterName=lp$cport
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$cport
SlurmdPort=$dport
SlurmUser=$(id -un)
SlurmdUser=$(id -un)
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$(cat "$d/run/munge.path")
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/run/slurmctld.pid
SlurmdPidFile=$d/run/slurmd.pid
SlurmctldLogFile=$d/log/slurmctld.log
SlurmdLogFile=$d/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
PlugStackConfig=$d/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
MailProg=/bin/true
SchedulerType=sched/builtin
SchedulerParameters=sched_interval=1
KillWait=2
MinJobAge=10
InactiveLimit=0
$types
NodeName=$node NodeAddr=127.0.0.1 $hw RealMemory=256$extra State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
    : >"$d/plugstack.conf"
    LP_SLURM_CLUSTER=$d SLURM_CONF="$d/slurm.conf" slurmctld -D -c -f "$d/slurm.conf" \
        </dev/null >>"$d/log/slurmctld.out" 2>&1 &
    local ctld=$!
    LP_SLURM_CLUSTER=$d SLURM_CONF="$d/slurm.conf" slurmd -D -N "$node" -f "$d/slurm.conf" \
        </dev/null >>"$d/log/slurmd.out" 2>&1 &
    local slurmd=$!
    # bounded wait for the node to register idle (usually 1-3 s)
    for ((i = 0; i < 300; i++)); do
        st=$(SLURM_CONF="$d/slurm.conf" timeout 5 sinfo -h -n "$node" -o %T 2>/dev/null)
        [ "$st" = idle ] && return 0
        if grep -qs 'Address already in use' "$d"/log/*.log "$d"/log/*.out; then return 2; fi
        if ! _slurm_cluster_alive "$ctld" || ! _slurm_cluster_alive "$slurmd"; then
            echo "slurm_cluster: $(_slurm_cluster_alive "$ctld" || echo "slurmctld exited ")$(_slurm_cluster_alive "$slurmd" || echo "slurmd exited ")while starting" >&2
            return 1
        fi
        sleep 0.1
    done
    echo "slurm_cluster: node $node not idle after 30 s (sinfo: ${st:-no answer})" >&2
    return 1
}

slurm_cluster_start() {
    local d=$1 try rc ports k feature="" gres=""
    shift
    while [ $# -gt 0 ]; do
        case "$1" in
            --feature) feature=$2; shift 2 ;;
            --gres)
                case "$2" in [A-Za-z]*:[0-9]*) gres=$2 ;; *)
                    echo "slurm_cluster: --gres wants NAME:COUNT, not '$2'" >&2; return 1 ;;
                esac
                shift 2 ;;
            *) echo "slurm_cluster: unknown option '$1'" >&2; return 1 ;;
        esac
    done
    for k in slurmctld slurmd munged mungekey sinfo squeue scancel; do
        command -v "$k" >/dev/null || { echo "slurm_cluster: $k not found" >&2; return 1; }
    done
    mkdir -p "$d" || return 1
    d=$(cd "$d" && pwd) || return 1
    [ "$d" != / ] || return 1
    chmod 755 "$d"
    mkdir -p "$d/log" "$d/run" "$d/state" "$d/spool" "$d/munge" || return 1
    : >"$d/run/slurm_cluster" # what slurm_cluster_stop looks for
    chmod 755 "$d/run" && chmod 700 "$d/munge" || return 1
    # munged wants every directory above its socket searchable by all; a DIR inside a private
    # one (mktemp -d is 0700) gets its socket in a directory of its own under /tmp
    local sdir=$d/run up=$d
    while [ "$up" != / ]; do
        if [ -z "$(find "$up" -maxdepth 0 -perm -o+x)" ]; then
            sdir=$(mktemp -d /tmp/lpsgd-munge.XXXXXX) && chmod 755 "$sdir" || return 1
            echo "$sdir" >"$d/run/munge.dir"
            break
        fi
        up=$(dirname "$up")
    done
    local sock=$sdir/munge.sock
    echo "$sock" >"$d/run/munge.path"
    mungekey -c -f -b 1024 -k "$d/munge/munge.key" || return 1
    # -F: stays our child (its log goes to stderr); its own checks want the socket directory
    # searchable by everyone and the key private
    LP_SLURM_CLUSTER=$d munged -F --socket="$sock" --key-file="$d/munge/munge.key" \
        --pid-file="$d/run/munged.pid" --seed-file="$d/munge/munged.seed" \
        </dev/null >>"$d/log/munged.out" 2>&1 &
    for ((k = 0; k < 50; k++)); do
        [ -S "$sock" ] && break
        sleep 0.1
    done
    if [ ! -S "$sock" ]; then
        echo "slurm_cluster: munged did not create its socket in 5 s" >&2
        slurm_cluster_logs "$d" >&2
        slurm_cluster_stop "$d"
        return 1
    fi
    # a watchdog: stops everything when the starting shell dies without stopping it; in a
    # session of its own, so that a kill of the test's process group does not take it along
    # (the daemons die with the group; slurmstepd and the jobs would not)
    local starter=(bash)
    command -v setsid >/dev/null && starter=(setsid bash)
    "${starter[@]}" "$_SLURM_CLUSTER_SH" watch "$$" "$d" </dev/null >/dev/null 2>&1 &
    for ((k = 0; k < 50; k++)); do
        [ -s "$d/run/watchdog.pid" ] && break
        sleep 0.1
    done
    for try in 1 2 3; do
        read -r -a ports <<<"$(_slurm_cluster_free_ports 2)"
        _slurm_cluster_up "$d" "${ports[0]}" "${ports[1]}" "$feature" "$gres"
        rc=$?
        [ "$rc" = 0 ] && break
        # a port taken meanwhile (another cluster): stop the two daemons, try other ports
        if [ "$rc" != 2 ] || [ "$try" = 3 ]; then break; fi
        echo "slurm_cluster: port in use, retrying with others" >&2
        _slurm_cluster_stop_slurm "$d"
        rm -rf "$d/state" "$d/spool" && mkdir -p "$d/state" "$d/spool"
        for k in "$d"/log/slurm*.log "$d"/log/slurm*.out; do mv -f "$k" "$k.try$try"; done
    done
    if [ "$rc" != 0 ]; then
        slurm_cluster_logs "$d" >&2
        slurm_cluster_stop "$d"
        return 1
    fi
    export SLURM_CONF="$d/slurm.conf"
    return 0
}

# _slurm_cluster_stop_slurm DIR: stop slurmctld and slurmd only (munged stays)
_slurm_cluster_stop_slurm() {
    local d=$1 f p
    for f in "$d/run/slurmctld.pid" "$d/run/slurmd.pid"; do
        [ -f "$f" ] && read -r p <"$f" && kill -KILL "$p" 2>/dev/null && wait "$p" 2>/dev/null
        rm -f "$f"
    done
    sleep 1
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -u
    case "${1:-}" in
        start)
            [ $# -ge 2 ] || { echo "usage: $0 start DIR [--feature F] [--gres NAME:COUNT]" >&2; exit 2; }
            shift
            slurm_cluster_start "$@" || exit 1
            # no watchdog for a cluster meant to outlive this program
            d=$(dirname "$SLURM_CONF")
            read -r w <"$d/run/watchdog.pid" && kill -TERM "$w" 2>/dev/null
            rm -f "$d/run/watchdog.pid"
            echo "export SLURM_CONF=$SLURM_CONF"
            ;;
        stop)
            [ $# = 2 ] || { echo "usage: $0 stop DIR" >&2; exit 2; }
            slurm_cluster_stop "$2"
            ;;
        watch) # (internal) watch OWNER DIR: the watchdog slurm_cluster_start starts
            trap '' INT HUP
            trap 'kill "${!:-}" 2>/dev/null; exit 0' TERM
            echo "$$" >"$3/run/watchdog.pid"
            while _slurm_cluster_alive "$2"; do sleep 1 & wait $!; done
            rm -f "$3/run/watchdog.pid"
            # DIR removed already (its cluster still running): mark it again to stop it (the
            # daemons' environment and the deleted files they hold still name it), then remove
            # what was made for that
            top=$3
            while [ ! -e "$(dirname "$top")" ]; do top=$(dirname "$top"); done
            [ -e "$top" ] && top=""
            mkdir -p "$3/run" && : >"$3/run/slurm_cluster"
            slurm_cluster_stop "$3"
            [ -n "$top" ] && rm -rf "$top"
            ;;
        run)
            [ $# -ge 3 ] || { echo "usage: $0 run DIR CMD..." >&2; exit 2; }
            d=$2; shift 2
            slurm_cluster_start "$d" || exit 1
            trap 'slurm_cluster_stop "$d"' EXIT
            "$@"
            ;;
        *)
            echo "usage: $0 start DIR [--feature F] [--gres NAME:COUNT] | stop DIR | run DIR CMD..." >&2
            exit 2
            ;;
    esac
fi
