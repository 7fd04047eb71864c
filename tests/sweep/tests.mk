# tests/sweep - `lpsgd sweep` (docs/sweep.md): the grid on the local cores against train run by
# hand, resume after kill -9 and SIGINT (the same bytes), collisions, the study file, --task,
# --collect, --slurm's script and bad input (test_sweep.sh); and the Slurm mode on a real Slurm
# (test_slurm.sh): a private one-node cluster started by hand (tests/sweep/slurm_cluster.sh:
# munged, slurmctld, slurmd under a temporary directory, free ports), a job array submitted
# with sbatch and collected, bit-identical to a local sweep.
LP_TEST_SCRIPTS += tests/sweep/test_sweep.sh tests/sweep/test_slurm.sh
