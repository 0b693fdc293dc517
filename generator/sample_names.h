/* sample_names -- the word lists behind `keqing sample`'s Chinese content.
 *
 * Part of the sample generator (generator/sample.c), outside the import ->
 * store -> score -> render pipeline.  Pure functions of a caller-owned
 * struct rng: the same generator state gives the same words, so the sample
 * is deterministic.  Every string here is UTF-8 and free of the XML
 * special characters & < > " ' (a unit test checks), so the writer can
 * copy them into attributes without escaping.
 */
#ifndef KQ_SAMPLE_NAMES_H
#define KQ_SAMPLE_NAMES_H

#include <stddef.h>

struct rng;

/* A 大区 (big region) of the company: id "EAST", name "华东大区". */
struct sample_names_big {
    const char *code;
    const char *name;
};

/* A province (省区) with a few of its cities or districts. */
struct sample_names_province {
    const char *code;      /* "ZJ"; region id is "<big>-<code>" */
    const char *name;      /* "浙江" */
    int big;               /* index into names_big_regions() */
    const char *city[5];   /* NULL-padded */
};

#define SAMPLE_NAMES_NBIG 7
#define SAMPLE_NAMES_NPROVINCES 31

/* The big regions, SAMPLE_NAMES_NBIG of them, in document order. */
const struct sample_names_big *sample_names_big_region(int i);

/* The i-th province in allocation order (0..SAMPLE_NAMES_NPROVINCES-1): the
 * first few lie in different big regions so a small company still spans
 * the country. */
const struct sample_names_province *sample_names_province(int i);

/* Number of cities listed for a province (>= 1). */
int sample_names_ncities(const struct sample_names_province *p);

/* Write a Chinese person name (surname + 1-2 character given name; about
 * 3% rare or compound surnames such as 欧阳, 诸葛) into out[n], NUL-ended.
 * Returns its length in bytes.  n >= 32 always suffices. */
size_t sample_names_person(struct rng *r, char *out, size_t n);

/* Write a customer name into out[n] (n >= 128 suffices): for terminals a
 * pharmacy or store such as 杭州百姓大药房(文三路店); for channel customers a
 * distributor such as 华东医药商业有限公司.  city is a city of the
 * customer's province; big_short the big region without 大区 ("华东"). */
size_t sample_names_customer(struct rng *r, int terminal, const char *city,
                      const char *province, const char *big_short,
                      char *out, size_t n);

/* A contact's position: key contacts get 店长/采购/药师/财务 (terminal) or
 * 总经理/采购经理/财务经理 (channel), others 营业员/柜组长/质管员 ... */
const char *sample_names_position(struct rng *r, int terminal, int key);

/* A visit purpose such as 新品陈列沟通. */
const char *sample_names_purpose(struct rng *r);

/* A service note for a service kind index 0..6 in the order favor,
 * problem, complaint, advice, need, labor, material. */
const char *sample_names_service_note(struct rng *r, int kind);

/* Every string of every list, for the test that none needs escaping:
 * calls fn(s, arg) once per string. */
void sample_names_each(void (*fn)(const char *s, void *arg), void *arg);

#endif
