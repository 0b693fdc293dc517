/* check_core -- err, mem, buf, sha256, fsx, rng, record value checks. */
#include "unit.h"
#include "buf.h"
#include "diag.h"
#include "err.h"
#include "fsx.h"
#include "mem.h"
#include "record.h"
#include "rng.h"
#include "sha256.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

START_TEST(err_codes_and_messages)
{
    struct err e;
    err_clear(&e);
    ck_assert_int_eq(e.code, ERR_OK);
    ck_assert_int_eq(err_set(&e, ERR_DATA, "%s:%d: visit %s", "oct.xml", 812, "V77"),
                     ERR_DATA);
    ck_assert_str_eq(e.msg, "oct.xml:812: visit V77");
    err_prefix(&e, "keqing %s ", "x");
    ck_assert_str_eq(e.msg, "keqing x oct.xml:812: visit V77");
    ck_assert_int_eq(err_exit_code(ERR_OK), 0);
    ck_assert_int_eq(err_exit_code(ERR_USAGE), 64);
    ck_assert_int_eq(err_exit_code(ERR_DATA), 65);
    ck_assert_int_eq(err_exit_code(ERR_NOINPUT), 66);
    ck_assert_int_eq(err_exit_code(ERR_INTERNAL), 70);
    ck_assert_int_eq(err_exit_code(ERR_NOMEM), 70);
    ck_assert_int_eq(err_exit_code(ERR_CANTCREAT), 73);
    ck_assert_int_eq(err_exit_code(ERR_IO), 74);
    ck_assert_int_eq(err_exit_code(ERR_BUSY), 75);
}
END_TEST

START_TEST(diag_caps_lines)
{
    struct diag d;
    diag_init(&d, 3);
    for (int i = 0; i < 10; i++)
        diag_add(&d, "problem %d", i);
    ck_assert_uint_eq(d.n, 3);
    ck_assert_uint_eq(d.dropped, 7);
    ck_assert_uint_eq(diag_count(&d), 10);
    ck_assert_str_eq(d.lines[2], "problem 2");
    diag_free(&d);
    ck_assert_uint_eq(diag_count(&d), 0);
}
END_TEST

START_TEST(buf_bounded)
{
    struct buf b;
    buf_init(&b, 10);
    ck_assert_str_eq(buf_str(&b), "");
    ck_assert_int_eq(buf_puts(&b, "客情"), ERR_OK); /* 6 bytes */
    ck_assert_int_eq(buf_printf(&b, "%d", 1234), ERR_OK);
    ck_assert_str_eq(buf_str(&b), "客情1234");
    ck_assert_int_eq(buf_puts(&b, "x"), ERR_DATA); /* 11 > 10 */
    ck_assert_uint_eq(b.len, 10);
    /* the first failure sticks: nothing smaller slips in after it */
    ck_assert_int_eq(buf_status(&b), ERR_DATA);
    ck_assert_int_eq(buf_puts(&b, ""), ERR_DATA);
    ck_assert_str_eq(buf_str(&b), "客情1234");
    buf_reset(&b);
    ck_assert_int_eq(buf_status(&b), ERR_OK);
    ck_assert_str_eq(buf_str(&b), "");
    ck_assert_int_eq(buf_puts(&b, "x"), ERR_OK);
    buf_free(&b);
}
END_TEST

START_TEST(mem_fail_after_n)
{
    struct buf b;
    void *p;
    mem_fail_after(2);
    p = mem_malloc(8);
    ck_assert_ptr_nonnull(p);
    ck_assert_ptr_null(mem_strdup("x"));
    mem_fail_after(0);
    mem_free(p);
    buf_init(&b, 100);
    mem_fail_after(1);
    ck_assert_int_eq(buf_puts(&b, "abc"), ERR_NOMEM);
    mem_fail_after(0);
    ck_assert_int_eq(buf_puts(&b, "abc"), ERR_NOMEM);   /* sticks */
    buf_reset(&b);
    ck_assert_int_eq(buf_puts(&b, "abc"), ERR_OK);
    buf_free(&b);
}
END_TEST

START_TEST(sha256_vectors)
{
    char hex[65];
    /* FIPS 180-4 examples */
    sha256_buf("", 0, hex);
    ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha256_buf("abc", 3, hex);
    ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sha256_buf("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
    ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    {   /* a million 'a', fed in odd-sized pieces */
        struct sha256 c;
        unsigned char dg[32];
        char chunk[997];
        size_t left = 1000000;
        memset(chunk, 'a', sizeof chunk);
        sha256_init(&c);
        while (left) {
            size_t n = left < sizeof chunk ? left : sizeof chunk;
            sha256_update(&c, chunk, n);
            left -= n;
        }
        sha256_final(&c, dg);
        sha256_hex(dg, hex);
        ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }
}
END_TEST

START_TEST(fsx_atomic_write)
{
    struct err e;
    struct fsx_out o;
    char path[600], *data;
    size_t n;
    char hex[65];
    long long bytes;
    const char *dir = unit_tmpdir();
    ck_assert_ptr_nonnull(dir);
    snprintf(path, sizeof path, "%s/a/b/out.csv", dir);
    ck_assert_int_eq(fsx_mkdirs(path, &e), ERR_OK); /* makes a/b/out.csv as dir */
    rmdir(path);
    ck_assert_int_eq(fsx_write_file(path, "abc", 3, &e), ERR_OK);
    ck_assert_int_eq(fsx_read_file(path, 100, &data, &n, &e), ERR_OK);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(data, "abc");
    mem_free(data);
    ck_assert_int_eq(fsx_read_file(path, 2, &data, &n, &e), ERR_DATA);
    ck_assert_int_eq(fsx_sha256_file(path, hex, &bytes, &e), ERR_OK);
    ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    ck_assert_int_eq((int)bytes, 3);
    /* an aborted write leaves the old content and no temporary file */
    ck_assert_int_eq(fsx_open(&o, path, &e), ERR_OK);
    fputs("partial", o.fp);
    fsx_abort(&o);
    ck_assert_int_eq(fsx_read_file(path, 100, &data, &n, &e), ERR_OK);
    ck_assert_str_eq(data, "abc");
    mem_free(data);
    ck_assert_int_eq(unit_sh("test $(ls -A %s/a/b | wc -l) -eq 1", dir), 0);
    /* missing input and uncreatable output */
    ck_assert_int_eq(fsx_read_file("/nonexistent/x", 10, &data, &n, &e), ERR_NOINPUT);
    ck_assert_int_eq(fsx_write_file("/nonexistent/dir/x.pdf", "a", 1, &e), ERR_CANTCREAT);
    ck_assert(strstr(e.msg, "/nonexistent/dir/x.pdf") != NULL);
    unit_sh("rm -rf %s", dir);
}
END_TEST

START_TEST(fsx_full_disk)
{
    struct err e;
    /* /dev/full: writes fail with ENOSPC at flush time */
    struct fsx_out o = {0};
    o.fp = fopen("/dev/full", "w");
    o.tmp = mem_strdup("/nonexistent-tmp");
    o.final = mem_strdup("/nonexistent-final");
    ck_assert_ptr_nonnull(o.fp);
    fputs("data", o.fp);
    ck_assert_int_eq(fsx_commit(&o, &e), ERR_IO);
    ck_assert(strstr(e.msg, "No space left") != NULL);
}
END_TEST

/* A device or a FIFO is written in place: renaming a file over
 * /dev/null would replace the device (as root); a folder is refused. */
START_TEST(fsx_devices_in_place)
{
    struct err e;
    struct fsx_out o;
    struct stat sb;
    char fifo[600], got[16] = "";
    FILE *rd;

    char dev[600];

    /* a null device of our own when we may make one (as root a broken
     * fsx would replace the system's /dev/null), else /dev/null itself */
    snprintf(dev, sizeof dev, "%s/null", unit_tmpdir());
    if (geteuid() != 0 || mknod(dev, S_IFCHR | 0666, makedev(1, 3)) != 0)
        snprintf(dev, sizeof dev, "/dev/null");
    ck_assert_int_eq(fsx_write_file(dev, "data", 4, &e), ERR_OK);
    ck_assert_int_eq(stat(dev, &sb), 0);
    ck_assert(S_ISCHR(sb.st_mode));
    /* a FIFO: the reader gets the bytes, the FIFO stays one (opening
     * it for writing waits for cat to open it for reading) */
    snprintf(fifo, sizeof fifo, "%s/f", unit_tmpdir());
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    snprintf(got, sizeof got, "%s", "");
    {
        char cmd[700];
        snprintf(cmd, sizeof cmd, "cat '%s'", fifo);
        rd = popen(cmd, "r");
    }
    ck_assert_ptr_nonnull(rd);
    ck_assert_int_eq(fsx_open(&o, fifo, &e), ERR_OK);
    fputs("keqing", o.fp);
    ck_assert_int_eq(fsx_commit(&o, &e), ERR_OK);
    ck_assert_ptr_nonnull(fgets(got, sizeof got, rd));
    ck_assert_int_eq(pclose(rd), 0);
    ck_assert_str_eq(got, "keqing");
    ck_assert_int_eq(stat(fifo, &sb), 0);
    ck_assert(S_ISFIFO(sb.st_mode));
    /* a folder is no file */
    ck_assert_int_eq(fsx_open(&o, unit_tmpdir(), &e), ERR_CANTCREAT);
    ck_assert_ptr_nonnull(strstr(e.msg, "is a folder, not a file"));
}
END_TEST

START_TEST(fsx_batch_commit_and_abort)
{
    struct err e;
    struct fsx_batch b;
    char path[600], *data;
    size_t n;
    const char *dir = unit_tmpdir();
    ck_assert_ptr_nonnull(dir);
    fsx_batch_init(&b);
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/f%d.pdf", dir, i);
        ck_assert_int_eq(fsx_batch_write(&b, path, "x1234", (size_t)(i + 1), &e), ERR_OK);
    }
    ck_assert_uint_eq(fsx_batch_count(&b), 3);
    /* nothing under a final name before the commit */
    ck_assert_int_eq(unit_sh("test ! -e %s/f0.pdf && test $(ls -A %s | wc -l) -eq 3",
                             dir, dir), 0);
    ck_assert_int_eq(fsx_batch_commit(&b, &e), ERR_OK);
    ck_assert_uint_eq(fsx_batch_count(&b), 0);
    snprintf(path, sizeof path, "%s/f2.pdf", dir);
    ck_assert_int_eq(fsx_read_file(path, 100, &data, &n, &e), ERR_OK);
    ck_assert_str_eq(data, "x12");
    mem_free(data);
    ck_assert_int_eq(unit_sh("test $(ls -A %s | wc -l) -eq 3", dir), 0);
    /* an aborted batch leaves nothing behind, and old files untouched */
    ck_assert_int_eq(fsx_batch_write(&b, path, "new", 3, &e), ERR_OK);
    fsx_batch_abort(&b);
    ck_assert_int_eq(fsx_read_file(path, 100, &data, &n, &e), ERR_OK);
    ck_assert_str_eq(data, "x12");
    mem_free(data);
    ck_assert_int_eq(unit_sh("test $(ls -A %s | wc -l) -eq 3", dir), 0);
    ck_assert_int_eq(fsx_batch_write(&b, "/nonexistent/d/x.pdf", "a", 1, &e), ERR_CANTCREAT);
    fsx_batch_abort(&b);
    unit_sh("rm -rf %s", dir);
}
END_TEST

START_TEST(rng_deterministic)
{
    struct rng a, b;
    int seen[6] = {0};
    rng_seed(&a, 42);
    rng_seed(&b, 42);
    for (int i = 0; i < 1000; i++)
        ck_assert(rng_next(&a) == rng_next(&b));
    for (int i = 0; i < 6000; i++) {
        int v = rng_range(&a, 1, 6);
        ck_assert(v >= 1 && v <= 6);
        seen[v - 1]++;
    }
    for (int i = 0; i < 6; i++)
        ck_assert(seen[i] > 850 && seen[i] < 1150);
}
END_TEST

START_TEST(record_values)
{
    const struct kind_def *visit = record_kind_by_element("visit");
    const struct kind_def *card = record_kind(REC_CARD);
    const struct kind_def *check = record_kind_by_element("check");
    struct err e;
    ck_assert_ptr_nonnull(visit);
    ck_assert_ptr_null(record_kind_by_element("nope"));
    ck_assert_str_eq(check->table, "spot_check");
    ck_assert_int_eq(record_field(visit, "customer"), 2);
    ck_assert_int_eq(record_field(visit, "nope"), -1);
    ck_assert_int_eq(record_check_value(&visit->fields[0], "V77", &e), ERR_OK);
    ck_assert_int_eq(record_check_value(&visit->fields[0], "V\x01", &e), ERR_DATA);
    ck_assert_int_eq(record_check_value(&visit->fields[0], "V 7", &e), ERR_DATA);
    ck_assert_int_eq(record_check_value(&visit->fields[3], "2026-02-30", &e), ERR_DATA);
    ck_assert_ptr_nonnull(strstr(e.msg, "not a real date"));
    ck_assert_int_eq(record_check_value(&card->fields[3], "office mobile home", &e), ERR_OK);
    ck_assert_int_eq(record_check_value(&card->fields[3], "office fax", &e), ERR_DATA);
    ck_assert_int_eq(record_check_value(&card->fields[4], "3", &e), ERR_OK);
    ck_assert_int_eq(record_check_value(&card->fields[4], "-1", &e), ERR_DATA);
    ck_assert_int_eq(record_check_value(&card->fields[4], "101", &e), ERR_DATA);
    ck_assert_int_eq(record_check_value(&card->fields[5], "yes", &e), ERR_DATA);
    ck_assert_int_eq(record_check_value(&record_kind(REC_CUSTOMER)->fields[3],
                                        "VIP", &e), ERR_OK);
    ck_assert_int_eq(record_check_value(&record_kind(REC_CUSTOMER)->fields[3],
                                        "vip", &e), ERR_DATA);
    ck_assert_ptr_nonnull(strstr(e.msg, "unknown value 'vip'"));
}
END_TEST

Suite *suite_core(void)
{
    Suite *s = suite_create("core");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, err_codes_and_messages);
    tcase_add_test(tc, diag_caps_lines);
    tcase_add_test(tc, buf_bounded);
    tcase_add_test(tc, mem_fail_after_n);
    tcase_add_test(tc, sha256_vectors);
    tcase_add_test(tc, fsx_atomic_write);
    tcase_add_test(tc, fsx_full_disk);
    tcase_add_test(tc, fsx_devices_in_place);
    tcase_add_test(tc, fsx_batch_commit_and_abort);
    tcase_add_test(tc, rng_deterministic);
    tcase_add_test(tc, record_values);
    suite_add_tcase(s, tc);
    return s;
}
