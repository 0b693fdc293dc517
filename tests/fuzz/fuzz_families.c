/* fuzz_families -- libFuzzer target for the families.conf parser
 * (font_families_each, font_split_spec in font.c), which reads the font
 * chain's list from HR's or the installer's folder.
 *
 * Every entry handed out must be non-empty, trimmed, free of '#' and of
 * line breaks, and shorter than 128 bytes; a FILE:INDEX spec either
 * splits into a non-empty file and an index 0..255 or is refused with a
 * message.  Anything else is a finding (abort).
 */
#include "err.h"
#include "font.h"
#include "mem.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int entry(void *ctx, const char *s)
{
    size_t n = strlen(s);
    char *file = NULL;
    unsigned index = 99999;
    struct err e;
    int rc;

    (void)ctx;
    if (n == 0 || n >= 128 || strchr(s, '#') || strchr(s, '\n') ||
        isspace((unsigned char)s[0]) || isspace((unsigned char)s[n - 1]))
        abort();
    err_clear(&e);
    rc = font_split_spec(s, &file, &index, &e);
    if (rc == ERR_OK && (!file || !file[0] || index > 255))
        abort();
    if (rc != ERR_OK && (rc != ERR_USAGE || !e.msg[0]))
        abort();
    mem_free(file);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';          /* the file as fsx_read_file gives it */
    font_families_each(text, entry, NULL);
    free(text);
    return 0;
}
