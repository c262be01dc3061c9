/* fork_musl.c -- the musl executable's allocator (src/compat/malloc.c) across fork():
 * linked like chartlint, statically against musl with src/compat/'s objects, so this is
 * musl's own fork() calling the allocator's __malloc_atfork hook.
 *
 * A thread allocates and frees without pause (so it holds the allocator's lock much of
 * the time) while the main thread forks children that allocate and exit. A child forked
 * while the lock was held, with no hook to reset it, would wait for ever in its first
 * malloc: alarm() kills it then, and the run fails. Exit status 0 when every child
 * allocated and exited normally. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define FORKS 300

static volatile int stop;
static volatile unsigned rounds;       /* the thread's allocations so far */

static void *churn(void *arg)
{
    void *keep[64] = { 0 };
    unsigned i = 0;

    (void)arg;
    while (!stop) {
        unsigned k = i++ % 64;

        free(keep[k]);
        keep[k] = malloc(16 + (i * 37) % 3000);
        if (keep[k])
            memset(keep[k], (int)k, 16);
        rounds = i;
    }
    for (unsigned k = 0; k < 64; k++)
        free(keep[k]);
    return NULL;
}

int main(void)
{
    pthread_t th;
    int failed = 0;

    if (pthread_create(&th, NULL, churn, NULL) != 0) {
        fputs("fork_musl: pthread_create failed\n", stderr);
        return 1;
    }
    for (int i = 0; i < FORKS && !failed; i++) {
        unsigned seen = rounds;
        pid_t pid;
        int status;

        while (rounds - seen < 10)      /* the thread is allocating now */
            ;
        pid = fork();

        if (pid < 0) {
            perror("fork_musl: fork");
            failed = 1;
            break;
        }
        if (pid == 0) {
            /* volatile: the compiler drops a malloc whose block is never used */
            char *volatile p;

            alarm(10);
            p = malloc(100);
            free(p);
            p = malloc(200000);
            _exit(p ? 0 : 2);
        }
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "fork_musl: child %d of %d failed (wait status %#x)\n", i + 1,
                    FORKS, (unsigned)status);
            failed = 1;
        }
    }
    stop = 1;
    pthread_join(th, NULL);
    return failed;
}
