/* archive_returns -- the state of a document's signed copies (see
 * archive_returns.h). */
#include "archive_returns.h"
#include "store_signed.h"

#include <stdio.h>
#include <string.h>

enum archive_return archive_return_of(const struct store_return *r)
{
    if (r->pages_back == 0)
        return r->outdated ? ARCHIVE_RET_OUTDATED : ARCHIVE_RET_NOT_RETURNED;
    if (r->pages > 0 && r->pages_back < r->pages)
        return ARCHIVE_RET_INCOMPLETE;
    if (!r->signed_fields[0] && !r->blank_fields[0])
        return ARCHIVE_RET_UNCHECKED;
    if (!r->blank_fields[0])
        return ARCHIVE_RET_SIGNED;
    return r->signed_fields[0] ? ARCHIVE_RET_PARTLY : ARCHIVE_RET_UNSIGNED;
}

const char *archive_return_name(enum archive_return s)
{
    static const char *const n[ARCHIVE_RET_N] = {
        "signed", "partly signed", "unsigned", "incomplete", "not returned",
        "outdated revision", "returned"};
    return (unsigned)s < ARCHIVE_RET_N ? n[s] : "?";
}

const char *archive_field_label(const char *field)
{
    static const char *const map[][2] = {
        {"sign-assessee", "被考核人"}, {"sign-assessor", "考核人"},
        {"sign-manager", "区域负责人"}, {"sign-hr", "人力资源部"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(field, map[i][0]))
            return map[i][1];
    return field;
}


void archive_fields_text(const char *list, char *out, size_t n)
{
    size_t len = 0;

    if (n)
        out[0] = '\0';
    while (list && *list && len < n) {
        const char *end = strchr(list, ',');
        char name[32];
        size_t k = end ? (size_t)(end - list) : strlen(list);
        snprintf(name, sizeof name, "%.*s", (int)(k < 31 ? k : 31), list);
        len += (size_t)snprintf(out + len, n - len, "%s%s", len ? " " : "",
                                archive_field_label(name));
        list += k + (end ? 1 : 0);
    }
}
