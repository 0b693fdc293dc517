/* main -- keqing's entry point: global options and command dispatch.
 *
 * keqing turns a company's monthly ERP export into quantified
 * customer-relationship (客情关系) assessments: import -> store -> score ->
 * render.  Each command lives in cmd_<name>.c.
 */
#include "cli.h"
#include "stop.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

struct command {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
};

static const struct command commands[] = {
    {"sample", cmd_sample, "write a realistic, deterministic sample export"},
    {"import", cmd_import, "validate ERP exports and store them"},
    {"score", cmd_score, "compute a period's indicators, scores and ranks"},
    {"explain", cmd_explain, "show the records behind one person's figures"},
    {"render", cmd_render, "write a period's PDFs and manifest"},
    {"run", cmd_run, "import, score and render in one go"},
    {"verify", cmd_verify, "check PDFs against the registry of issued documents"},
    {"receive", cmd_receive, "receive signed copies back from the scanner"},
    {"returns", cmd_returns, "which signed copies of a period came back"},
    {"fonts", cmd_fonts, "list the font chain and check a period's names against it"},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: keqing COMMAND [OPTIONS]\n"
            "       keqing --help | --version\n"
            "\n"
            "Quantified customer-relationship (客情关系) assessments from ERP "
            "exports.\n\nCommands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(fp, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(fp,
            "\n'keqing COMMAND --help' describes a command.\n"
            "\nEnvironment: KEQING_DB (default database), KEQING_TEMPLATES,\n"
            "KEQING_FONT.\n"
            "\nExit status: 0 success, 64 usage error, 65 bad input data,\n"
            "66 input missing or unreadable, 70 internal error, 73 cannot\n"
            "create output, 74 I/O error, 75 database busy.\n");
}

int main(int argc, char **argv)
{
    /* Output bytes never depend on the user's locale. */
    setlocale(LC_ALL, "C");
    if (argc < 2) {
        usage(stderr);
        return 64;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("keqing %s\n", KQ_VERSION);
        return 0;
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(argv[1], commands[i].name)) {
            stop_install();
            return commands[i].fn(argc - 1, argv + 1);
        }
    fprintf(stderr, "keqing: unknown command '%s'\nTry 'keqing --help'.\n",
            argv[1]);
    return 64;
}
