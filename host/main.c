/*
 * main.c - the lpsgd command line: dispatch to one subcommand (host/cli/cmd_*.c).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"formats", cmd_formats, "list the number formats and their parameters"},
    {"quantize", cmd_quantize, "quantize a float32 tensor file (.npy/.f32), print the shrinkage"},
    {"shrink", cmd_shrink, "the paper's Figure 1: shrinkage of e^(-0.2x) per format, with/without scaling"},
    {"train", cmd_train, "SGD with a quantized gradient: progress, per-step log, plots, checkpoints"},
    {"theory", cmd_theory, "measured optimality gap vs the paper's Theorem 3 bound on synthetic least squares"},
    {"curves", cmd_curves, "several 'train --log' CSVs in one plot (loss, accuracy, q_proj vs epoch)"},
    {"report", cmd_report, "a study directory (index.csv + train logs) as one page: widths compared"},
    {"devices", cmd_devices, "list the Alveo cards XRT finds (index, PCIe address, shell)"},
    {"selftest", cmd_selftest, "a short job on a backend, compared bit for bit with the C model"},
    {"sweep", cmd_sweep, "a grid of training runs (formats x stepsizes x seeds ...) on every core or Slurm"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: lpsgd COMMAND [OPTIONS]   (lpsgd COMMAND --help for one command)\n\n"
                 "lpsgd measures and counters the gradient shrinkage of low-precision SGD,\n"
                 "bit for bit, on a C model, a Verilated RTL model or an Alveo card.\n\ncommands:\n");
    for (unsigned i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    for (unsigned i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "lpsgd: unknown command '%s' (run 'lpsgd --help' for the list)\n", argv[1]);
    return 2;
}
