// Linux process calls Swift can't reach directly (they need _GNU_SOURCE or are variadic).
#pragma once
#include <spawn.h>

/// pipe2(fds, O_CLOEXEC): both ends close on exec, atomically, so a process spawned by
/// another thread at the same moment never inherits them.
int skein_pipe_cloexec(int fds[2]);


/// Close every descriptor from `lowest` up in the spawned child (glibc 2.34+; 0 if unsupported).
int skein_spawn_closefrom(posix_spawn_file_actions_t *actions, int lowest);
