# tests/sweep - lpsgd sweep's Slurm mode on a real Slurm: a private one-node cluster started by
# hand (tests/sweep/slurm_cluster.sh: munged, slurmctld, slurmd under a temporary directory,
# free ports), a job array submitted with sbatch and collected, bit-identical to a local sweep.
LP_TEST_SCRIPTS += tests/sweep/test_slurm.sh
