/* check_roles -- the role templates: the five shipped defaults load and
 * match the spec's table, and each broken template is refused with file,
 * line and reason. */
#include "unit.h"

#include "err.h"
#include "roles.h"

#include <stdio.h>
#include <string.h>

static char xsd[1024];

static const char *xsd_path(void)
{
    snprintf(xsd, sizeof xsd, "%s/templates/schema/role.xsd", unit_srcdir());
    return xsd;
}

START_TEST(shipped_defaults)
{
    struct roles rs;
    struct err e;
    char dir[1024];
    const struct role *r;
    snprintf(dir, sizeof dir, "%s/templates", unit_srcdir());
    ck_assert_msg(roles_load_dir(dir, &rs, &e) == 0, "%s", e.msg);
    ck_assert_int_eq((int)rs.n, 5);
    /* sales_rep: A1 8, A3 6, C5 4, 16 indicators, team weight 0 */
    r = roles_find(&rs, "sales_rep");
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(r->label, "业代");
    ck_assert(r->weight[ROLES_A1] == 8 && r->weight[ROLES_C5] == 4);
    ck_assert(r->target[ROLES_B3] == 0.8 && r->target[ROLES_A2] == 0.9);
    ck_assert(r->team_weight == 0);
    ck_assert_int_eq(r->visits[0], 1);
    ck_assert_int_eq(r->visits[2], 0);
    /* province_manager: no A6, B3, B4; team weight 0.6 */
    r = roles_find(&rs, "province_manager");
    ck_assert_ptr_nonnull(r);
    ck_assert(!r->used[ROLES_A6] && !r->used[ROLES_B4] && r->used[ROLES_C6]);
    ck_assert(r->team_weight == 0.6);
    ck_assert_int_eq(r->nband, 5);
    ck_assert_str_eq(r->band[3].label, "待改进");
    ck_assert(r->band[3].min == 60);
    r = roles_find(&rs, "terminal_supervisor");
    ck_assert(r && r->team_weight == 0.5 && r->weight[ROLES_C3] == 10);
    ck_assert_ptr_null(roles_find(&rs, "astronaut"));
    roles_free(&rs);
}
END_TEST

/* Parse text as file "x.xml" (with the XSD when xsd is 1) and return the
 * error message ("" when accepted). */
static const char *try(const char *text, int with_xsd)
{
    static struct err e;
    struct role r;
    err_clear(&e);
    if (roles_parse(text, strlen(text), "t/x.xml", with_xsd ? xsd_path() : NULL,
                    &r, &e) == 0) {
        roles_free_role(&r);
        return "";
    }
    ck_assert_int_eq(e.code, ERR_DATA);
    return e.msg;
}

#define HEAD "<role xmlns='urn:keqing:role:1' id='x' label='X'"

START_TEST(broken_templates_refused)
{
    for (int x = 0; x < 2; x++) {
        /* accepted: defaults for target, floor, bands and visits */
        ck_assert_str_eq(try(HEAD "><indicator id='A1' weight='100'/></role>", x), "");
        /* weights */
        ck_assert_ptr_nonnull(strstr(try(HEAD "><indicator id='A1' weight='60'/>\n"
                                         "<indicator id='A2' weight='39'/></role>", x), "t/x.xml:1:"));
        ck_assert_ptr_nonnull(strstr(try(HEAD ">\n<indicator id='D1' weight='100'/></role>", x),
                                     "t/x.xml:2:"));
        ck_assert_str_ne(try(HEAD "><indicator id='A1' weight='100' target='1.5'/></role>", x), "");
        ck_assert_str_ne(try(HEAD "><indicator id='A1' weight='100' target='0'/></role>", x), "");
        ck_assert_str_ne(try(HEAD "><indicator id='A1' weight='100' target='0.5' floor='0.5'/></role>", x), "");
        ck_assert_str_ne(try(HEAD " team-weight='2'><indicator id='A1' weight='100'/></role>", x), "");
        ck_assert_str_ne(try(HEAD "><indicator id='A1' weight='50'/><indicator id='A1' weight='50'/></role>", x), "");
        ck_assert_str_ne(try(HEAD "><indicator id='A1' weight='100'/><grades><grade min='80' label='a'/>"
                             "<grade min='90' label='b'/><grade min='0' label='c'/></grades></role>", x), "");
        ck_assert_str_ne(try(HEAD "><indicator id='A1' weight='100'/><grades><grade min='80' label='a'/>"
                             "</grades></role>", x), "");
        ck_assert_str_ne(try("<role xmlns='urn:keqing:role:1' id='y' label='Y'>"
                             "<indicator id='A1' weight='100'/></role>", x), "");
        ck_assert_str_ne(try("<!DOCTYPE role [<!ENTITY z 'zz'>]>" HEAD ">"
                             "<indicator id='A1' weight='100'/></role>", x), "");
        ck_assert_str_ne(try(HEAD "><indicator id='A1' weight='100'/>", x), "");
    }
    /* the reason is in the message */
    ck_assert_ptr_nonnull(strstr(try(HEAD "><indicator id='A1' weight='60'/>"
                                     "<indicator id='A2' weight='39'/></role>", 0), "sum to 99"));
    ck_assert_ptr_nonnull(strstr(try(HEAD "><indicator id='A1' weight='100' target='0.5' "
                                     "floor='0.6'/></role>", 0), "floor"));
}
END_TEST

Suite *suite_roles(void)
{
    Suite *s = suite_create("roles");
    TCase *t = tcase_create("templates");
    tcase_add_test(t, shipped_defaults);
    tcase_add_test(t, broken_templates_refused);
    suite_add_tcase(s, t);
    return s;
}
