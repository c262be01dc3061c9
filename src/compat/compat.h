/* compat.h -- naming for src/compat/: the C library pieces the musl build supplies itself.
 *
 * chartlint's shipped executable can be linked statically against musl instead of glibc
 * (CMakeLists.txt, CHARTLINT_MUSL; docs/performance.md says why: glibc's static start-up
 * probes the CPU's caches with ~68 `cpuid` instructions, each a trap to the hypervisor on
 * a virtual machine). src/compat/ holds what that build takes from here instead of from
 * musl: the glibc-only entry points Debian's archives call (glibc_abi.c), and the
 * allocator and string functions where musl's are slow for chartlint's pattern of use.
 *
 * Each file names its functions with CL_LIBC(name). In the musl executable
 * (CL_COMPAT_LIBC defined) that is the C library's own name, so the definition replaces
 * musl's at link time. Everywhere else (the unit tests, which #include the .c file into
 * a glibc build) it is cl_compat_<name>, an ordinary function the test can call and
 * compare against glibc's. */
#ifndef CL_COMPAT_H
#define CL_COMPAT_H

#ifdef CL_COMPAT_LIBC
#define CL_LIBC(name) name
#else
#define CL_LIBC_PASTE(a, b) a##b
#define CL_LIBC(name) CL_LIBC_PASTE(cl_compat_, name)
#endif

#endif
