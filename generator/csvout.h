/* csvout -- the period's CSV files, scores.csv and totals.csv, byte-exact
 * as shared/spec/cli.md says (stage score -> files).
 *
 * UTF-8 (without a byte-order mark unless asked: --csv-bom, or the
 * spreadsheet template's <csv bom="yes">), comma-separated, "\n" line ends, the fixed header
 * line, rows sorted by person_id then indicator A1..C6.  Numbers are
 * formatted here, never by the locale: the decimal point is always '.',
 * and a value that rounds to zero never prints as "-0".  Files are written
 * atomically (fsx).
 */
#ifndef KQ_CSVOUT_H
#define KQ_CSVOUT_H

#include <stddef.h>
#include <stdio.h>

struct dataset;
struct err;
struct score_person;
struct score_result;

#define CSVOUT_SCORES_HEADER \
    "period,person_id,indicator,numerator,denominator,rate,target,weight,score"
#define CSVOUT_TOTALS_HEADER \
    "period,person_id,name,role,region,status,own,team,total,grade,rank"

/* v with exactly `dec` decimals ("0.9000", "68.40"). */
void csvout_fixed(double v, int dec, char *out, size_t n);

/* v with at most `dec` decimals, trailing zeros and a trailing '.'
 * trimmed ("12", "3.5", "0.6667"). */
void csvout_trim(double v, int dec, char *out, size_t n);

/* 1 when text s must be guarded in a CSV: a spreadsheet would take it
 * for a formula - it begins with '=', '+', '-', '@', a tab or a carriage
 * return (OWASP "CSV injection") - or it begins with an apostrophe (so
 * that dropping one leading apostrophe always gives the text back). */
int csvout_formula_like(const char *s);

/* Write s to fp as one CSV field: as it is, or between double quotes
 * with its quotes doubled when it holds a comma, a quote or a line
 * break.  Guarded text (csvout_formula_like) is always quoted and gets a
 * leading apostrophe, "'=1+2", so that Excel, WPS and LibreOffice show
 * it as text and never run it; a script gets the text back exactly by
 * dropping one leading apostrophe from any field that starts with one.
 * NULL writes nothing.  A write error shows in ferror(fp). */
void csvout_field(FILE *fp, const char *s);

/* The number fields of one scores.csv row, formatted. */
struct csvout_ind {
    char num[64], den[64];      /* 0 when not applicable */
    char rate[64], score[64];   /* empty when not applicable */
    char target[64], weight[64];
};

/* Format an indicator's figures as scores.csv prints them (also the CSV
 * a person's sheet carries). */
void csvout_ind_format(struct csvout_ind *f, int applicable, double num,
                       double den, double rate, double score, double target,
                       double weight);

/* Format the own, team and total scores sp has (2 decimals) into own,
 * team and total, each of n bytes; leave a score it lacks untouched. */
void csvout_person_scores(const struct score_person *sp, char *own,
                          char *team, char *total, size_t n);

/* Write OUT_DIR/scores.csv and OUT_DIR/totals.csv (the folder must
 * exist); bom: each begins with a UTF-8 byte-order mark (EF BB BF), for
 * Excel and WPS opening them by double-click.  ERR_CANTCREAT, ERR_IO or
 * ERR_NOMEM. */
int csvout_write_period(const char *out_dir, const struct dataset *ds,
                        const struct score_result *r, int bom,
                        struct err *e);

#endif
