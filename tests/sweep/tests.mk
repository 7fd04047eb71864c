# tests/sweep - `lpsgd sweep` (docs/sweep.md): the grid on the local cores against train run by
# hand, resume after kill -9 and SIGINT (the same bytes), collisions, the study file, --task,
# --collect, --slurm's script and bad input.
LP_TEST_SCRIPTS += tests/sweep/test_sweep.sh
