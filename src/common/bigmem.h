/*
 * Large blocks of memory on transparent huge pages (2 MiB), for the few
 * big buffers a run needs: a whole module's bytes and the largest arena
 * chunks.
 *
 * Why: a 4 KiB page costs a page fault the first time it is touched, and
 * on the virtual machines webdoctor is measured on a fault is expensive
 * (a 37.7 MB module read into 4 KiB pages took 270 ms, into huge pages
 * 18 ms; walking the bytes of a mapped file touched page by page took
 * about 50 ms, the same bytes on huge pages 8 ms). One huge page costs
 * one fault and one TLB entry for 512 small ones.
 */
#ifndef WD_BIGMEM_H
#define WD_BIGMEM_H

#include <stdbool.h>
#include <stddef.h>

/* Blocks smaller than this are not worth a huge page of their own. */
#define WD_BIG_MIN ((size_t)1 << 20)

/* A zeroed block of at least `size` bytes aligned to 2 MiB and advised
 * for huge pages; *len_out is what to give wd_big_free. NULL when the
 * system has no transparent huge pages for us (then allocate otherwise)
 * or is out of memory. */
void *wd_big_alloc(size_t size, size_t *len_out);
void wd_big_free(void *p, size_t len);

#endif
