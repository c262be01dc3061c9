/* deny_getrandom.h -- for tests of code that falls back when the kernel has no
 * getrandom(2): a seccomp filter that makes the call fail in this process only. Call it
 * in a forked child. */
#ifndef CL_TEST_DENY_GETRANDOM_H
#define CL_TEST_DENY_GETRANDOM_H

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/syscall.h>

/* Makes getrandom() fail with err in this process (a seccomp filter), as an old kernel
 * (ENOSYS) or a container's syscall filter does; 0 when installed. */
static int deny_getrandom(int err)
{
    struct sock_filter prog[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getrandom, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ((unsigned)err & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog fprog = { (unsigned short)(sizeof prog / sizeof *prog), prog };

    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return -1;
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0);
}

/* The body of a forked child: getrandom() denied with err, then fill() (a function with
 * arc4random_buf()'s signature) asked for 32 bytes twice. Exits 0 when both came, are not
 * all zero and differ (a chance of 2^-256 to be wrong), 10 when the filter could not be
 * set, 11 when the bytes are wrong; fill() may end the child itself (exit, abort). */
__attribute__((noreturn)) static void fill_without_getrandom(void (*fill)(void *, size_t),
                                                             int err)
{
    unsigned char a[32], b[32], zero[32] = { 0 };

    if (deny_getrandom(err) != 0 || getrandom(a, 1, 0) != -1 || errno != err)
        _exit(10);
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    fill(a, sizeof a);
    fill(b, sizeof b);
    _exit(memcmp(a, zero, sizeof a) != 0 && memcmp(a, b, sizeof a) != 0 ? 0 : 11);
}

#endif
