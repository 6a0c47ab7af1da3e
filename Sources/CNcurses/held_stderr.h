// Standard error while curses owns the screen (included by shim.h).
//
// Whatever reaches stderr while the UI runs (the Swift runtime's "Fatal error: ..."
// line just before a trap, a library's warning) would be drawn over the panels,
// or vanish with the alternate screen. So while the UI runs, fd 2 points at an
// unlinked temporary file; giving the terminal back points fd 2 at the terminal
// again and copies out what was held, so it appears after the UI, in order.
// Giving back uses only dup2, lseek, read, write and close (async-signal-safe),
// so the crash handler can do it too.
#ifndef EROFS_TOP_CNCURSES_HELD_STDERR_H
#define EROFS_TOP_CNCURSES_HELD_STDERR_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/// [0]: the real stderr (a duplicate), [1]: the temporary file; -1 while not holding.
static inline int *erofs_held_stderr_fds(void) {
    static int fds[2] = { -1, -1 };
    return fds;
}

/// Points stderr at an unlinked file in $TMPDIR (or /tmp) until
/// `erofs_stderr_give_back`. Returns 0, or -1 (stderr left alone) when no
/// temporary file can be made.
static inline int erofs_stderr_hold(void) {
    int *fds = erofs_held_stderr_fds();
    if (fds[0] >= 0) return 0;
    const char *dir = getenv("TMPDIR");
    if (dir == NULL || dir[0] == 0) dir = "/tmp";
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/erofs-top-stderr-XXXXXX", dir);
    if (n <= 0 || (size_t)n >= sizeof path) return -1;
    int file = mkstemp(path);
    if (file < 0) return -1;
    unlink(path);
    fcntl(file, F_SETFD, FD_CLOEXEC);
    fflush(stderr);
    int real = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    if (real < 0 || dup2(file, STDERR_FILENO) < 0) {
        if (real >= 0) close(real);
        close(file);
        return -1;
    }
    fds[0] = real;
    fds[1] = file;
    return 0;
}

static inline void erofs_write_all(int fd, const char *bytes, size_t count) {
    size_t done = 0;
    while (done < count) {
        ssize_t n = write(fd, bytes + done, count - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        done += (size_t)n;
    }
}

/// Points stderr back at where it was and writes out what was held meanwhile.
/// Does nothing when not holding. Async-signal-safe.
static inline void erofs_stderr_give_back(void) {
    int *fds = erofs_held_stderr_fds();
    int real = fds[0], file = fds[1];
    if (real < 0) return;
    fds[0] = -1;
    fds[1] = -1;
    dup2(real, STDERR_FILENO);
    close(real);
    if (lseek(file, 0, SEEK_SET) == 0) {
        char buffer[4096];
        ssize_t got;
        while ((got = read(file, buffer, sizeof buffer)) > 0 || (got < 0 && errno == EINTR)) {
            if (got > 0) erofs_write_all(STDERR_FILENO, buffer, (size_t)got);
        }
    }
    close(file);
}

#endif
