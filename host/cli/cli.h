/*
 * cli.h - the subcommands of lpsgd. Each returns the process exit code:
 * 0 success, 2 bad input or usage (one clear message on stderr), 1 runtime failure.
 */
#ifndef LP_CLI_H
#define LP_CLI_H

int cmd_formats(int argc, char **argv);
int cmd_quantize(int argc, char **argv); /* cmd_quantize.c */
int cmd_shrink(int argc, char **argv);   /* cmd_shrink.c   */
int cmd_train(int argc, char **argv);    /* cmd_train.c    */
int cmd_theory(int argc, char **argv);   /* cmd_theory.c   */
int cmd_curves(int argc, char **argv);   /* cmd_curves.c   */
int cmd_report(int argc, char **argv);   /* cmd_report.c   */
int cmd_devices(int argc, char **argv);  /* cmd_devices.c  */
int cmd_selftest(int argc, char **argv); /* cmd_selftest.c */
int cmd_sweep(int argc, char **argv);    /* cmd_sweep.c    */

#endif
