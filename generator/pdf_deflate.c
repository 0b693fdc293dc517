/* pdf_deflate -- compressing the streams of both PDF writers (libdeflate).
 *
 * Every stream keqing writes (page content, font programs, maps, CMaps,
 * attachments) is deflated here in the zlib format: libdeflate is about
 * three times as fast as zlib for the same size (doc/fonts.md).  The
 * libharu writer uses one level-6 compressor per thread, kept between
 * documents; a book owns its own (level 1 for pages, 6 for fonts).  The
 * only file that includes libdeflate.
 */
#include "pdf.h"
#include "pdf_int.h"
#include "err.h"
#include "mem.h"

#include <libdeflate.h>

#include <pthread.h>
#include <stdlib.h>

struct libdeflate_compressor *pdf_deflate_new(int level)
{
    return libdeflate_alloc_compressor(level);
}

void pdf_deflate_free(struct libdeflate_compressor *z)
{
    if (z)
        libdeflate_free_compressor(z);
}

int pdf_deflate(struct libdeflate_compressor *z, struct pdf_zbuf *zb,
                const void *data, size_t len)
{
    size_t bound = libdeflate_zlib_compress_bound(z, len);

    if (bound > zb->cap) {
        unsigned char *p = mem_realloc(zb->p, bound);
        if (!p)
            return ERR_NOMEM;
        zb->p = p;
        zb->cap = bound;
    }
    zb->n = libdeflate_zlib_compress(z, len ? data : "", len, zb->p,
                                     zb->cap);
    return zb->n ? ERR_OK : ERR_INTERNAL; /* 0 cannot happen with the bound */
}

/* One compressor per thread, kept between documents (allocating one per
 * document showed in the profile, doc/fonts.md).  The key's destructor
 * frees a thread's when the thread ends, an atexit handler the main
 * thread's at exit (leak checkers stay quiet); pdf_release_cache frees
 * the caller's at once. */
static pthread_once_t z_once = PTHREAD_ONCE_INIT;
static pthread_key_t z_key;
static int z_key_ok;

static void z_free(void *z)
{
    libdeflate_free_compressor(z);
}

static void z_key_make(void)
{
    z_key_ok = pthread_key_create(&z_key, z_free) == 0;
    if (z_key_ok)
        atexit(pdf_release_cache);
}

struct libdeflate_compressor *pdf_thread_compressor(void)
{
    struct libdeflate_compressor *z;

    pthread_once(&z_once, z_key_make);
    if (!z_key_ok)
        return NULL;
    z = pthread_getspecific(z_key);
    if (!z && (z = libdeflate_alloc_compressor(PDF_DEFLATE_LEVEL)) &&
        pthread_setspecific(z_key, z) != 0) {
        libdeflate_free_compressor(z);
        z = NULL;
    }
    return z;
}

void pdf_release_cache(void)
{
    struct libdeflate_compressor *z;

    pthread_once(&z_once, z_key_make);
    if (!z_key_ok || !(z = pthread_getspecific(z_key)))
        return;
    pthread_setspecific(z_key, NULL);
    libdeflate_free_compressor(z);
}
