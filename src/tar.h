/* tar.h -- a small streaming reader for gzip-compressed tar archives (packaged charts).
 *
 * The archive is inflated as it is read (zlib, gzip header, concatenated members) and
 * one entry is returned at a time: the whole archive is never inflated into memory, only
 * the current entry's content. Formats: ustar (name + prefix), GNU long names and long
 * link names ('L'/'K'), pax extended headers ('x': path, linkpath, size; 'g' is skipped).
 *
 * Hostile archives are expected. Entry names are normalized ('/'-separated, no "." or
 * empty components) and absolute names, drive letters and ".." components are refused;
 * symbolic and hard links, devices and sparse files are reported, never followed. Two
 * limits hold against decompression bombs: max_file per entry (content is skipped and the
 * entry reported) and max_total for all inflated bytes (the read stops with an error). */
#ifndef CL_TAR_H
#define CL_TAR_H

#include <stddef.h>
#include <stdint.h>

enum cl_tar_type {
    CL_TAR_FILE,          /* regular file: data/len hold its content */
    CL_TAR_DIR,
    CL_TAR_SYMLINK,       /* link holds the target; never followed */
    CL_TAR_HARDLINK,      /* link holds the target; never followed */
    CL_TAR_OTHER,         /* device, fifo, sparse file, unknown type flag */
};

struct cl_tar_limits {
    uint64_t max_file;    /* largest entry content read into memory */
    uint64_t max_total;   /* all inflated bytes of the archive (headers, skipped data too) */
};

/* Helm's defaults: 5 MiB per file, 100 MiB in all. */
#define CL_TAR_MAX_FILE ((uint64_t)5 << 20)
#define CL_TAR_MAX_TOTAL ((uint64_t)100 << 20)

/* One entry. All pointers are owned by the reader and valid until the next
 * cl_tar_next() or cl_tar_free(). */
struct cl_tar_entry {
    enum cl_tar_type type;
    const char *name;     /* normalized name ("chart/templates/x.yaml"); "" if refused */
    const char *raw_name; /* the name as stored in the archive */
    const char *link;     /* link target for links, else "" */
    uint64_t size;        /* size declared in the header */
    const char *data;     /* CL_TAR_FILE content, NUL-terminated; NULL when skipped */
    size_t len;
    /* Why the entry was refused or its content skipped (absolute path, "..", link,
     * over max_file), or NULL. Such an entry is still returned so it can be reported. */
    const char *problem;
};

struct cl_tar;

/* A reader over buf (len bytes of .tgz data, which must stay valid while the reader is
 * used). limits may be NULL for the defaults. Never NULL; free with cl_tar_free(). */
struct cl_tar *cl_tar_new(const void *buf, size_t len, const struct cl_tar_limits *limits);
void cl_tar_free(struct cl_tar *t);

/* The next entry: 1 and *e filled, 0 at the end of the archive, -1 when the archive is
 * corrupt, truncated or over max_total (message in cl_tar_error(); every later call
 * returns -1 too). */
int cl_tar_next(struct cl_tar *t, struct cl_tar_entry *e);

/* The last error message (lower case, no position), or NULL. Owned by the reader. */
const char *cl_tar_error(const struct cl_tar *t);

/* Total inflated bytes so far (for a budget shared by nested archives). */
uint64_t cl_tar_inflated(const struct cl_tar *t);

#endif
