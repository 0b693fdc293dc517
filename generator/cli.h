/* cli -- the command-line front end: one cmd_<name>() per command (each in
 * cmd_<name>.c), and the few helpers they share.  Only this layer prints to
 * the terminal or chooses exit codes; the pipeline modules return statuses.
 */
#ifndef KQ_CLI_H
#define KQ_CLI_H

#include <stddef.h>

struct err;

/* Each command parses its own options (argv[0] is the command name) and
 * returns the process exit status (sysexits values, see err.h). */
int cmd_sample(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_fonts(int argc, char **argv);

struct diag;

/* Print each line of d as "keqing: <line>" on stderr, then "... and N
 * more" when lines were dropped. */
void cli_print_diag(const struct diag *d);

/* Print "keqing: <msg>" on stderr and return the exit status for e. */
int cli_fail(const struct err *e);

/* Print "keqing: <cmd>: <message>" and a hint to --help; return 64. */
int cli_usage(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The database path: opt when given, else $KEQING_DB, else "keqing.db". */
const char *cli_db_path(const char *opt);

/* The templates folder: opt when given, else $KEQING_TEMPLATES, else the
 * source tree's templates/ next to the running binary's build folder, else
 * the installed KQ_DATADIR/templates.  Writes into out (size n). */
int cli_templates_dir(const char *opt, char *out, size_t n, struct err *e);

/* The font chain's families.conf: OPT/families.conf for --fonts OPT, else
 * $KEQING_FONTS/families.conf, else the source tree's fonts/families.conf
 * (running build/keqing), else the installed
 * PREFIX/share/keqing/fonts/families.conf.  out = "" when none of the
 * default places has one (the built-in list, the same as the shipped
 * file, is used); ERR_NOINPUT when --fonts or $KEQING_FONTS names a
 * folder without a readable families.conf. */
int cli_families_file(const char *opt, char *out, size_t n, struct err *e);

/* The value of "--name VALUE" or "--name=VALUE" at argv[*i] (advancing
 * *i past a separate value); NULL when argv[*i] is not that option, with
 * *missing set to 1 when it is but the value is absent. */
const char *cli_opt_value(int argc, char **argv, int *i, const char *name,
                          int *missing);

/* Parse a positive integer option value; 0 on success, -1 otherwise. */
int cli_parse_long(const char *s, long lo, long hi, long *out);

/* 1 when stderr is a terminal (progress output allowed). */
int cli_stderr_tty(void);

/* Monotonic seconds, for stage timings printed in summaries. */
double cli_now(void);

#endif
