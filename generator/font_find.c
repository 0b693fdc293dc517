/* font_find -- which font files the families of families.conf are
 * (fontconfig), and the list itself (see font.h, doc/fonts.md).
 *
 * The list is a families.conf text or the built-in copy of the shipped
 * one; its entries are fontconfig family names or FILE[:INDEX] paths.  A
 * family's face is the TrueType one fontconfig lists (mapping U+4E2D for
 * the chain's first face), ties going to the smallest file and index so
 * that the choice never depends on fontconfig's cache order.  Opening the
 * faces is font.c's.  The only file that includes fontconfig.
 */
#include "font.h"
#include "font_int.h"
#include "err.h"
#include "fsx.h"
#include "mem.h"

#include <fontconfig/fontconfig.h>

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Used when no families file is given; keep in step with
 * fonts/families.conf.  Order: smallest PDFs first; font_open_chain
 * appends the others, in this order, as fallbacks (Zen Hei has ㊀-㊉). */
static const char *const builtin_families[] = {
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "HanaMinA", "HanaMinB",
    "BabelStone Han", "AR PL UMing CN", "AR PL UKai CN", "Noto Sans CJK SC",
    "Noto Serif CJK SC", NULL
};

/* The next family name of a families file, trimmed; 0 at the end. */
int font_next_family(const char **p, char out[FONT_FAMILY_MAX])
{
    while (**p) {
        const char *line = *p, *end = strchr(line, '\n');
        size_t n;
        if (!end)
            end = line + strlen(line);
        *p = *end ? end + 1 : end;
        n = (size_t)(end - line);
        if (memchr(line, '#', n))
            n = (size_t)((const char *)memchr(line, '#', n) - line);
        while (n && isspace((unsigned char)line[n - 1]))
            n--;
        while (n && isspace((unsigned char)*line))
            line++, n--;
        if (n == 0 || n >= FONT_FAMILY_MAX)
            continue;
        memcpy(out, line, n);
        out[n] = 0;
        return 1;
    }
    return 0;
}

/* FcFontList(cfg, pat, os) when ok (pat and os made and filled), or NULL;
 * pat and os are destroyed (NULL is fine).  The set: FcFontSetDestroy. */
static FcFontSet *list_fonts(FcConfig *cfg, FcPattern *pat, FcObjectSet *os,
                             int ok)
{
    FcFontSet *fs = ok && pat && os ? FcFontList(cfg, pat, os) : NULL;

    if (os)
        FcObjectSetDestroy(os);
    if (pat)
        FcPatternDestroy(pat);
    return fs;
}

/* 1 when font (of a listed set) is a TrueType face: libharu's and
 * font_ttf.c's format. */
static int is_truetype(FcPattern *font)
{
    FcChar8 *format = NULL;

    return FcPatternGetString(font, FC_FONTFORMAT, 0, &format) ==
               FcResultMatch &&
           strcmp((const char *)format, "TrueType") == 0;
}

/* The best face of one family: TrueType format, maps U+4E2D (when
 * need_han: the chain's first face; a fallback is judged by what it adds,
 * not by a language); ties go to the smallest (file, index) so the choice
 * does not depend on cache order.  1 and *path owned, 0 when none, -1
 * out of memory. */
static int family_face(FcConfig *cfg, const char *family, int need_han,
                       char **path, unsigned *index)
{
    FcPattern *pat = FcPatternCreate();
    FcObjectSet *os = FcObjectSetBuild(FC_FILE, FC_INDEX, FC_FONTFORMAT,
                                       FC_CHARSET, (char *)NULL);
    FcFontSet *fs = list_fonts(cfg, pat, os,
                               pat && FcPatternAddString(
                                   pat, FC_FAMILY, (const FcChar8 *)family));
    char best[PATH_MAX] = "", real[PATH_MAX];
    int best_index = 0, i, rc = 0;

    for (i = 0; fs && i < fs->nfont; i++) {
        FcChar8 *file = NULL;
        FcCharSet *cs = NULL;
        int idx = 0;
        if (!is_truetype(fs->fonts[i]) ||
            FcPatternGetString(fs->fonts[i], FC_FILE, 0, &file) !=
                FcResultMatch ||
            FcPatternGetCharSet(fs->fonts[i], FC_CHARSET, 0, &cs) !=
                FcResultMatch ||
            (need_han && !FcCharSetHasChar(cs, 0x4E2D)))
            continue;
        FcPatternGetInteger(fs->fonts[i], FC_INDEX, 0, &idx);
        /* the file itself, not a link to it (update-alternatives links
         * fonts-japanese-mincho.ttf to HanaMinA.ttf) */
        if (realpath((const char *)file, real))
            file = (FcChar8 *)real;
        if (!best[0] || strcmp((const char *)file, best) < 0 ||
            (strcmp((const char *)file, best) == 0 && idx < best_index)) {
            snprintf(best, sizeof best, "%s", (const char *)file);
            best_index = idx;
        }
    }
    if (best[0]) {
        *path = mem_strdup(best);
        *index = (unsigned)best_index;
        rc = *path ? 1 : -1;
    }
    if (fs)
        FcFontSetDestroy(fs);
    return rc;
}

struct font_lookup {
    FcConfig *cfg;
};

int font_lookup_open(struct font_lookup **out, struct err *e)
{
    struct font_lookup *l = mem_calloc(1, sizeof *l);

    *out = NULL;
    if (!l)
        return err_set(e, ERR_NOMEM, "font lookup: out of memory");
    if (!(l->cfg = FcInitLoadConfigAndFonts())) {
        mem_free(l);
        return err_set(e, ERR_INTERNAL, "fontconfig: cannot load its "
                       "configuration");
    }
    *out = l;
    return ERR_OK;
}

void font_lookup_close(struct font_lookup *l)
{
    if (!l)
        return;
    FcConfigDestroy(l->cfg);
    mem_free(l);
}

int font_lookup_family(struct font_lookup *l, const char *family,
                       int need_han, char **path, unsigned *index)
{
    return family_face(l->cfg, family, need_han, path, index);
}

/* The first family of list installed as a face that maps Chinese. */
static int find_in_list(struct font_lookup *l, const char *list,
                        char **path, unsigned *index, struct err *e)
{
    const char *p = list;
    char family[FONT_FAMILY_MAX];

    while (font_next_family(&p, family)) {
        int rc = family[0] == '/' ? 0 : font_lookup_family(l, family, 1,
                                                           path, index);
        if (rc < 0)
            return err_set(e, ERR_NOMEM, "font lookup: out of memory");
        if (rc > 0)
            return ERR_OK;
    }
    return err_set(e, ERR_NOINPUT,
                   "no Chinese TrueType font found through fontconfig "
                   "(install fonts-wqy-microhei or fonts-wqy-zenhei, or "
                   "pass --font PATH / set KEQING_FONT)");
}

static char *builtin_list(void)
{
    size_t n = 1, i;
    char *s, *p;

    for (i = 0; builtin_families[i]; i++)
        n += strlen(builtin_families[i]) + 1;
    s = p = mem_malloc(n);
    if (!s)
        return NULL;
    for (i = 0; builtin_families[i]; i++) {
        size_t k = strlen(builtin_families[i]);
        memcpy(p, builtin_families[i], k);
        p[k] = '\n';
        p += k + 1;
    }
    *p = 0;
    return s;
}

int font_read_families(const char *families_file, char **list,
                       struct err *e)
{
    size_t n;

    *list = NULL;
    if (families_file)
        return fsx_read_file(families_file, FONT_FAMILIES_MAX_BYTES, list,
                             &n, e);
    if (!(*list = builtin_list()))
        return err_set(e, ERR_NOMEM, "font lookup: out of memory");
    return ERR_OK;
}

int font_find(const char *families_file, char **path, unsigned *index,
              struct err *e)
{
    struct font_lookup *l = NULL;
    char *list = NULL;
    int rc;

    *path = NULL;
    *index = 0;
    if ((rc = font_read_families(families_file, &list, e)) != ERR_OK)
        return rc;
    if ((rc = font_lookup_open(&l, e)) == ERR_OK) {
        rc = find_in_list(l, list, path, index, e);
        if (rc != ERR_OK && families_file)
            err_prefix(e, "%s: ", families_file);
    }
    font_lookup_close(l);
    mem_free(list);
    return rc;
}

int font_suggest(uint32_t cp, char *family, size_t n)
{
    FcConfig *cfg = FcInitLoadConfigAndFonts();
    FcPattern *pat = cfg ? FcPatternCreate() : NULL;
    FcCharSet *cs = pat ? FcCharSetCreate() : NULL;
    FcObjectSet *os = cs ? FcObjectSetBuild(FC_FAMILY, FC_FONTFORMAT,
                                            (char *)NULL) : NULL;
    FcFontSet *fs = list_fonts(cfg, pat, os,
                               cs && FcCharSetAddChar(cs, cp) &&
                                   FcPatternAddCharSet(pat, FC_CHARSET, cs));
    int found = 0;

    family[0] = '\0';
    /* the smallest family name of a TrueType face: deterministic */
    for (int i = 0; fs && i < fs->nfont; i++) {
        FcChar8 *fam = NULL;
        if (!is_truetype(fs->fonts[i]) ||
            FcPatternGetString(fs->fonts[i], FC_FAMILY, 0, &fam) !=
                FcResultMatch)
            continue;
        if (!found || strcmp((const char *)fam, family) < 0) {
            snprintf(family, n, "%s", (const char *)fam);
            found = 1;
        }
    }
    if (fs)
        FcFontSetDestroy(fs);
    if (cs)
        FcCharSetDestroy(cs);
    if (cfg)
        FcConfigDestroy(cfg);
    return found;
}

int font_families_each(const char *text, int (*fn)(void *ctx,
                                                   const char *entry),
                       void *ctx)
{
    char entry[FONT_FAMILY_MAX];
    const char *p = text;
    int rc;

    while (font_next_family(&p, entry))
        if ((rc = fn(ctx, entry)))
            return rc;
    return 0;
}

int font_file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Split "FILE:INDEX" unless FILE exists as given (see font.h). */
int font_split_spec(const char *spec, char **file, unsigned *index,
                    struct err *e)
{
    const char *colon = strrchr(spec, ':');
    long idx;
    char *end;

    *index = 0;
    *file = NULL;
    if (!spec[0] || (colon == spec && !font_file_exists(spec)))
        return err_set(e, ERR_USAGE, "font '%s': no file (want FILE or "
                       "FILE:INDEX)", spec);
    if (font_file_exists(spec) || !colon || colon[1] == 0) {
        *file = mem_strdup(spec);
    } else {
        idx = strtol(colon + 1, &end, 10);
        if (*end || idx < 0 || idx > 255)
            return err_set(e, ERR_USAGE, "font %s: bad face index "
                           "(want FILE or FILE:INDEX)", spec);
        *index = (unsigned)idx;
        *file = mem_strndup(spec, (size_t)(colon - spec));
    }
    return *file ? ERR_OK : err_set(e, ERR_NOMEM, "font: out of memory");
}

