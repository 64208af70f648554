#define _GNU_SOURCE
#include "skein_process.h"
#include <fcntl.h>
#include <unistd.h>
#include <signal.h>

int skein_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }


int skein_spawn_closefrom(posix_spawn_file_actions_t *actions, int lowest) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
#else
    (void)actions; (void)lowest;
    return 0;
#endif
}
