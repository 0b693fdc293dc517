/* cli -- the command-line front end: one cmd_<name>() per command (each in
 * cmd_<name>.c), the one option parser they all use (cli_parse) and the
 * few helpers they share.  Only this layer prints to the terminal or
 * chooses exit codes; the pipeline modules return statuses.
 */
#ifndef KQ_CLI_H
#define KQ_CLI_H

#include <stddef.h>

struct err;
struct period;

/* Each command parses its options with cli_parse (argv[0] is the command
 * name), calls the library and returns the process exit status (sysexits
 * values, see err.h). */
int cmd_sample(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_fonts(int argc, char **argv);
int cmd_receive(int argc, char **argv);
int cmd_returns(int argc, char **argv);

struct diag;

/* Print each line of d as "keqing: <line>" on stderr, then "... and N
 * more" when lines were dropped. */
void cli_print_diag(const struct diag *d);

/* Print "keqing: <msg>" on stderr and return the exit status for e.  An
 * e without a code (a module failed without err_set: a bug) prints an
 * internal error and returns 70, never 0. */
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

/* ---- options ------------------------------------------------------------
 * Every command describes its options in a table and calls cli_parse, so
 * they all read the command line the same way and say the same things:
 *
 *   --name VALUE, --name=VALUE    a long option and its value (the next
 *                                 argument is the value, whatever it is)
 *   -x VALUE, -xVALUE             a short alias, where the table has one
 *   --flag, -q                    an option without a value
 *   --help, -h                    print the usage text on stdout, status 0
 *   --                            every later argument is positional
 *   -                             a positional argument (standard input,
 *                                 or a file of that name)
 *
 * Options and positional arguments mix in any order (GNU style); a
 * repeated option keeps its last value; names are matched exactly (no
 * abbreviations).  Arguments are read left to right and the first problem
 * is reported, as "keqing: CMD: MESSAGE" plus a hint to --help (cli_usage),
 * with one of these messages:
 *
 *   unknown option '--frob'           a name the table does not have
 *   --db needs a value                the value is missing (as typed)
 *   --quiet takes no value            --flag=VALUE
 *   unexpected argument 'x'           positional, the command takes none
 *   --staff '0' is not a number 1..200000          CLI_NUMBER out of range
 *   --period '2026-13' is not a month YYYY-MM      CLI_PERIOD
 *   --period '1999-01' is not a month YYYY-MM between 2000-01 and 2190-12
 *   --period YYYY-MM is required      a required option never given
 *
 * Commands check what involves several options or the positional
 * arguments themselves ("no input FILE given") after cli_parse. */

enum cli_type {
    CLI_FLAG,       /* int *: set to 1; takes no value */
    CLI_TEXT,       /* const char **: the value, borrowed from argv */
    CLI_NUMBER,     /* long *: a whole number lo..hi (cli_parse_long) */
    CLI_PERIOD      /* struct period *: a month YYYY-MM (period_parse);
                       when hi > 0 its year must be lo..hi as well, and
                       the message names that range */
};

struct cli_opt {
    const char *name;       /* "--period" */
    const char *alias;      /* "-p", or NULL */
    enum cli_type type;
    void *dest;             /* borrowed: written when the option is given,
                               untouched otherwise (set defaults first) */
    const char *metavar;    /* "YYYY-MM": names the value in "is required"
                               (NULL for flags) */
    long lo, hi;            /* CLI_NUMBER range; CLI_PERIOD years */
    int required;           /* 1: "--name METAVAR is required" if absent */
};

/* The most options one table may have. */
#define CLI_MAX_OPTS 32

/* Parse argv[1..argc) (argv[0] is the command name, cmd) against the n
 * options of t.  Positional arguments go, in order, to pos[0..*npos);
 * pos has room for argc entries and may be argv itself (they are then
 * compacted to its front, as GNU getopt permutes argv; argv[0] is
 * overwritten).  pos NULL: the command takes no positional argument.
 * Returns -1 to go on; 0 after printing usage_text to stdout for --help
 * or -h; 64 after printing a usage error (messages above).  No memory is
 * allocated.  Not thread-safe (it prints); n <= CLI_MAX_OPTS. */
int cli_parse(const char *cmd, const char *usage_text,
              const struct cli_opt *t, size_t n, int argc, char **argv,
              char **pos, int *npos);

/* cli_parse for a command whose positional arguments are FILEs, at least
 * one: they are compacted to argv's front, *nfiles of them; with none,
 * the usage error "CMD: NONE" (64). */
int cli_parse_files(const char *cmd, const char *usage_text,
                    const struct cli_opt *t, size_t n, int argc, char **argv,
                    int *nfiles, const char *none);

/* The rows of the options several commands share, each defined once:
 * --period YYYY-MM (required or not), --db PATH, --templates DIR,
 * --font FILE[:N], --fonts DIR. */
struct cli_opt cli_opt_period(struct period *dest, int required);
struct cli_opt cli_opt_db(const char **dest);
struct cli_opt cli_opt_templates(const char **dest);
struct cli_opt cli_opt_font(const char **dest);
struct cli_opt cli_opt_fonts(const char **dest);

/* The default number of workers: the CPUs online, 1..RENDER_MAX_JOBS. */
long cli_default_jobs(void);

/* Parse a whole number lo..hi (decimal, nothing after it); 0 on success
 * with *out set, -1 otherwise. */
int cli_parse_long(const char *s, long lo, long hi, long *out);

/* 1 when stderr is a terminal (progress output allowed). */
int cli_stderr_tty(void);

/* Monotonic seconds, for stage timings printed in summaries. */
double cli_now(void);

#endif
