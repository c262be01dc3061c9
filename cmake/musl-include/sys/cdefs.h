/* sys/cdefs.h -- the part of glibc's <sys/cdefs.h> that libxcrypt's <crypt.h> uses, for the
 * musl build (CHARTLINT_MUSL in CMakeLists.txt).
 *
 * musl has no <sys/cdefs.h>; glibc's, next in the search path, needs glibc's <features.h>.
 * <crypt.h> (the one dependency header that includes it) uses only these macros. */
#ifndef CL_MUSL_SYS_CDEFS_H
#define CL_MUSL_SYS_CDEFS_H

#ifdef __cplusplus
#define __BEGIN_DECLS extern "C" {
#define __END_DECLS }
#else
#define __BEGIN_DECLS
#define __END_DECLS
#endif
#define __THROW
#define __REDIRECT_NTH(name, proto, alias) name proto __asm__(#alias)

#endif
