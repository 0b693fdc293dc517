/* record -- the table of record kinds and fields (see record.h). */
#include "record.h"
#include "err.h"
#include "date.h"

#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const types_customer[] = {"channel", "terminal", NULL};
static const char *const grades[] = {"VIP", "A", "B", "C", NULL};
static const char *const kinds_service[] = {"favor", "problem", "complaint",
    "advice", "need", "labor", "material", NULL};
static const char *const positions[] = {"best", "good", "normal", "none", NULL};
static const char *const kinds_report[] = {"business_change", "sell_through",
    "downstream_feedback", "competitor", NULL};
static const char *const occasions[] = {"new_year", "spring_festival",
    "qingming", "labor_day", "dragon_boat", "mid_autumn", "national_day",
    "birthday", "anniversary", NULL};
static const char *const channels[] = {"phone", "postcard", "sms", "wechat",
    "visit", NULL};

const char *const record_roles[] = {"terminal_staff", "sales_rep",
    "commercial_supervisor", "terminal_supervisor", "province_manager", NULL};

#define REQ 1
#define OPT 0

static const struct fld f_region[] = {
    {"id", "id", FT_ID, REQ, NULL, REC_REGION},
    {"name", "name", FT_NAME, REQ, NULL, REC_REGION},
    {"parent", "parent", FT_REF, OPT, NULL, REC_REGION},
};
static const struct fld f_person[] = {
    {"id", "id", FT_ID, REQ, NULL, REC_PERSON},
    {"name", "name", FT_NAME, REQ, NULL, REC_PERSON},
    {"role", "role", FT_ID, REQ, NULL, REC_PERSON},
    {"region", "region", FT_REF, REQ, NULL, REC_REGION},
    {"hired", "hired", FT_DATE, REQ, NULL, REC_PERSON},
    {"manager", "manager", FT_REF, OPT, NULL, REC_PERSON},
    {"left", "left_on", FT_DATE, OPT, NULL, REC_PERSON},
};
static const struct fld f_customer[] = {
    {"id", "id", FT_ID, REQ, NULL, REC_CUSTOMER},
    {"name", "name", FT_NAME, REQ, NULL, REC_CUSTOMER},
    {"type", "type", FT_ENUM, REQ, types_customer, REC_CUSTOMER},
    {"grade", "grade", FT_ENUM, REQ, grades, REC_CUSTOMER},
    {"region", "region", FT_REF, REQ, NULL, REC_REGION},
    {"owner", "owner", FT_REF, REQ, NULL, REC_PERSON},
    {"founded", "founded", FT_DATE, OPT, NULL, REC_CUSTOMER},
    {"restructured", "restructured", FT_DATE, OPT, NULL, REC_CUSTOMER},
};
static const struct fld f_contact[] = {
    {"id", "id", FT_ID, REQ, NULL, REC_CONTACT},
    {"name", "name", FT_NAME, REQ, NULL, REC_CONTACT},
    {"position", "position", FT_TEXT, OPT, NULL, REC_CONTACT},
    {"key", "is_key", FT_BOOL, OPT, NULL, REC_CONTACT},
    {"since", "since", FT_DATE, OPT, NULL, REC_CONTACT},
    {"birthday", "birthday", FT_MMDD, OPT, NULL, REC_CONTACT},
};
static const struct fld f_handover[] = {
    {"from", "from_staff", FT_REF, REQ, NULL, REC_PERSON},
    {"to", "to_staff", FT_REF, REQ, NULL, REC_PERSON},
    {"date", "date", FT_DATE, REQ, NULL, REC_HANDOVER},
};
static const struct fld f_card[] = {
    {"contact", "contact", FT_REF, REQ, NULL, REC_CONTACT},
    {"created", "created", FT_DATE, REQ, NULL, REC_CARD},
    {"updated", "updated", FT_DATE, OPT, NULL, REC_CARD},
    {"phones", "phones", FT_PHONES, OPT, NULL, REC_CARD},
    {"family", "family", FT_COUNT, OPT, NULL, REC_CARD},
    {"interests", "interests", FT_BOOL, OPT, NULL, REC_CARD},
};
static const struct fld f_visit[] = {
    {"id", "id", FT_ID, REQ, NULL, REC_VISIT},
    {"staff", "staff", FT_REF, REQ, NULL, REC_PERSON},
    {"customer", "customer", FT_REF, REQ, NULL, REC_CUSTOMER},
    {"date", "date", FT_DATE, REQ, NULL, REC_VISIT},
    {"contact", "contact", FT_REF, OPT, NULL, REC_CONTACT},
    {"purpose", "purpose", FT_TEXT, OPT, NULL, REC_VISIT},
};
static const struct fld f_service[] = {
    {"id", "id", FT_ID, REQ, NULL, REC_SERVICE},
    {"staff", "staff", FT_REF, REQ, NULL, REC_PERSON},
    {"customer", "customer", FT_REF, REQ, NULL, REC_CUSTOMER},
    {"date", "date", FT_DATE, REQ, NULL, REC_SERVICE},
    {"kind", "kind", FT_ENUM, REQ, kinds_service, REC_SERVICE},
};
static const struct fld f_display[] = {
    {"id", "id", FT_ID, REQ, NULL, REC_DISPLAY},
    {"staff", "staff", FT_REF, REQ, NULL, REC_PERSON},
    {"customer", "customer", FT_REF, REQ, NULL, REC_CUSTOMER},
    {"date", "date", FT_DATE, REQ, NULL, REC_DISPLAY},
    {"position", "position", FT_ENUM, REQ, positions, REC_DISPLAY},
    {"pop", "pop", FT_BOOL, OPT, NULL, REC_DISPLAY},
};
static const struct fld f_report[] = {
    {"id", "id", FT_ID, REQ, NULL, REC_REPORT},
    {"staff", "staff", FT_REF, REQ, NULL, REC_PERSON},
    {"customer", "customer", FT_REF, REQ, NULL, REC_CUSTOMER},
    {"kind", "kind", FT_ENUM, REQ, kinds_report, REC_REPORT},
    {"month", "month", FT_MONTH, REQ, NULL, REC_REPORT},
    {"received", "received", FT_DATE, REQ, NULL, REC_REPORT},
    {"forwarded", "forwarded", FT_DATE, OPT, NULL, REC_REPORT},
};
static const struct fld f_greeting[] = {
    {"id", "id", FT_ID, REQ, NULL, REC_GREETING},
    {"staff", "staff", FT_REF, REQ, NULL, REC_PERSON},
    {"customer", "customer", FT_REF, REQ, NULL, REC_CUSTOMER},
    {"occasion", "occasion", FT_ENUM, REQ, occasions, REC_GREETING},
    {"date", "date", FT_DATE, REQ, NULL, REC_GREETING},
    {"contact", "contact", FT_REF, OPT, NULL, REC_CONTACT},
    {"channel", "channel", FT_ENUM, OPT, channels, REC_GREETING},
    {"identified", "identified", FT_BOOL, OPT, NULL, REC_GREETING},
};
static const struct fld f_check[] = {
    {"id", "id", FT_ID, REQ, NULL, REC_CHECK},
    {"staff", "staff", FT_REF, REQ, NULL, REC_PERSON},
    {"customer", "customer", FT_REF, REQ, NULL, REC_CUSTOMER},
    {"date", "date", FT_DATE, REQ, NULL, REC_CHECK},
    {"checker", "checker", FT_REF, OPT, NULL, REC_PERSON},
    {"contact", "contact", FT_REF, OPT, NULL, REC_CONTACT},
    {"rep_knows_name", "rep_knows_name", FT_BOOL, OPT, NULL, REC_CHECK},
    {"knows_rep_name", "knows_rep_name", FT_BOOL, OPT, NULL, REC_CHECK},
    {"rep_recites_card", "rep_recites_card", FT_BOOL, OPT, NULL, REC_CHECK},
    {"knows_company", "knows_company", FT_BOOL, OPT, NULL, REC_CHECK},
    {"first_recommend", "first_recommend", FT_BOOL, OPT, NULL, REC_CHECK},
    {"explains_selling_points", "explains_selling_points", FT_BOOL, OPT, NULL,
     REC_CHECK},
};

#define N(a) (int)(sizeof a / sizeof a[0])

static const struct kind_def kinds[REC_NKINDS] = {
    {REC_REGION, "region", "region", "区域", "regions", f_region, N(f_region), 0},
    {REC_PERSON, "person", "person", "人员", "staff", f_person, N(f_person), 0},
    {REC_CUSTOMER, "customer", "customer", "客户", "customers", f_customer,
     N(f_customer), 0},
    {REC_CONTACT, "contact", "contact", "联系人", "customer", f_contact,
     N(f_contact), 0},
    {REC_HANDOVER, "handover", "handover", "交接", "customer", f_handover,
     N(f_handover), 0},
    {REC_CARD, "card", "card", "客情关系卡", "cards", f_card, N(f_card), 0},
    {REC_VISIT, "visit", "visit", "拜访", "activities", f_visit, N(f_visit), 0},
    {REC_SERVICE, "service", "service", "服务", "activities", f_service,
     N(f_service), 1},
    {REC_DISPLAY, "display", "display", "陈列检查", "activities", f_display,
     N(f_display), 0},
    {REC_REPORT, "report", "report", "信息反馈", "activities", f_report,
     N(f_report), 0},
    {REC_GREETING, "greeting", "greeting", "问候", "activities", f_greeting,
     N(f_greeting), 0},
    {REC_CHECK, "check", "spot_check", "抽查", "activities", f_check,
     N(f_check), 0},
};

const struct kind_def *record_kind(enum rec_kind k)
{
    return (unsigned)k < REC_NKINDS ? &kinds[k] : NULL;
}

const struct kind_def *record_kind_by_element(const char *name)
{
    for (int i = 0; i < REC_NKINDS; i++)
        if (strcmp(kinds[i].element, name) == 0)
            return &kinds[i];
    return NULL;
}

int record_field(const struct kind_def *kd, const char *attr)
{
    for (int i = 0; i < kd->nfields; i++)
        if (strcmp(kd->fields[i].attr, attr) == 0)
            return i;
    return -1;
}

static int has_control(const char *v)
{
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return 1;
    return 0;
}

/* The next code point of UTF-8 s (valid: libxml2 checked it) and its
 * length, 0 at the end. */
static size_t next_cp(const unsigned char *s, uint32_t *cp)
{
    if (!s[0])
        return 0;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0 && s[1]) {
        *cp = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
        return 2;
    }
    if ((s[0] & 0xF0) == 0xE0 && s[1] && s[2]) {
        *cp = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 |
              (s[2] & 0x3F);
        return 3;
    }
    if ((s[0] & 0xF8) == 0xF0 && s[1] && s[2] && s[3]) {
        *cp = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
              (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
        return 4;
    }
    *cp = s[0];
    return 1;
}

const char *record_name_rule(uint32_t cp)
{
    if ((cp >= 0xE000 && cp <= 0xF8FF) || cp >= 0xF0000)
        return "a private-use code point (it means something only in one "
               "font): write the character itself";
    if ((cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) ||
        (cp >= 0x1F1E6 && cp <= 0x1F1FF) || cp == 0x200D ||
        (cp >= 0xE0020 && cp <= 0xE007F))
        return "an emoji or pictograph, not part of a name";
    if ((cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF))
        return "a variation selector (variant glyphs cannot be printed): "
               "write the base character alone";
    if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
        (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
        (cp >= 0xFE20 && cp <= 0xFE2F) || cp == 0x3099 || cp == 0x309A)
        return "a combining mark: write the name composed (NFC, é rather "
               "than e + \u0301)";
    if (cp == 0xFFFD)
        return "U+FFFD, a character lost in an earlier conversion";
    return NULL;
}

/* The reason a value of a field is refused (record_check_value). */
static int refuse(struct err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int refuse(struct err *e, const char *fmt, ...)
{
    char why[ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return err_set(e, ERR_DATA, "%s", why);
}

/* FT_PHONES: space-separated office, mobile, home. */
static int check_phones(const char *v, struct err *e)
{
    const char *p = v;
    while (*p) {
        const char *s;
        size_t n;
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        s = p;
        while (*p && *p != ' ')
            p++;
        n = (size_t)(p - s);
        if (!((n == 6 && !strncmp(s, "office", 6)) ||
              (n == 6 && !strncmp(s, "mobile", 6)) ||
              (n == 4 && !strncmp(s, "home", 4))))
            return refuse(e, "phones must be office, mobile or home, not "
                          "'%.*s'", (int)(n > 20 ? 20 : n), s);
    }
    return ERR_OK;
}

/* FT_COUNT: a whole number 0..REC_COUNT_MAX. */
static int check_count(const char *v, size_t len, struct err *e)
{
    int ok = len > 0 && len <= 3 && v[0] >= '0' && v[0] <= '9';
    if (ok) {
        char *end;
        long n = strtol(v, &end, 10);
        ok = !*end && n >= 0 && n <= REC_COUNT_MAX;
    }
    return ok ? ERR_OK : refuse(e, "'%.40s' is not a whole number 0-%d", v,
                                REC_COUNT_MAX);
}

/* FT_TEXT, FT_STAMP, FT_NAME: bounded, no control character; a name no
 * character that cannot print (record_name_rule). */
static int check_text(const struct fld *f, const char *v, size_t len,
                      struct err *e)
{
    const unsigned char *p = (const unsigned char *)v;
    size_t k;
    uint32_t cp;

    if (len > REC_TEXT_MAX)
        return refuse(e, "longer than %d bytes", REC_TEXT_MAX);
    if (has_control(v))
        return refuse(e, "contains a control character");
    while (f->type == FT_NAME && (k = next_cp(p, &cp)) > 0) {
        const char *rule = record_name_rule(cp);
        if (rule)
            return refuse(e, "U+%04X is %s", (unsigned)cp, rule);
        p += k;
    }
    return ERR_OK;
}

int record_check_value(const struct fld *f, const char *v, struct err *e)
{
    size_t len = strlen(v);
    int a, b, day;

    switch (f->type) {
    case FT_ID:
    case FT_REF:
        if (len == 0 || len > REC_ID_MAX)
            return refuse(e, "id must have 1 to %d characters", REC_ID_MAX);
        for (const unsigned char *p = (const unsigned char *)v; *p; p++)
            if (*p <= 0x20 || *p == 0x7f)
                return refuse(e, "id contains a space or control character");
        return ERR_OK;
    case FT_TEXT:
    case FT_STAMP:
    case FT_NAME:
        return check_text(f, v, len, e);
    case FT_DATE:
        if (date_parse(v, &day))
            return refuse(e, "'%.40s' is not a real date (YYYY-MM-DD, "
                          "%d-%d)", v, DATE_MIN_YEAR, DATE_MAX_YEAR);
        return ERR_OK;
    case FT_MMDD:
        if (date_parse_mmdd(v, &a, &b))
            return refuse(e, "'%.40s' is not a month-day (MM-DD)", v);
        return ERR_OK;
    case FT_MONTH:
        if (date_parse_month(v, &a, &b))
            return refuse(e, "'%.40s' is not a month (YYYY-MM)", v);
        return ERR_OK;
    case FT_BOOL:
        if (strcmp(v, "true") && strcmp(v, "false"))
            return refuse(e, "'%.40s' is not true or false", v);
        return ERR_OK;
    case FT_COUNT:
        return check_count(v, len, e);
    case FT_ENUM:
        for (const char *const *en = f->enums; *en; en++)
            if (strcmp(*en, v) == 0)
                return ERR_OK;
        return refuse(e, "unknown value '%.40s'", v);
    case FT_PHONES:
        return check_phones(v, e);
    }
    return err_set(e, ERR_INTERNAL, "unknown field type");
}
