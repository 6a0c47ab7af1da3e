// The crash path (included by shim.h).
//
// A crash (SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT; a Swift trap is
// SIGILL on x86_64, SIGTRAP on arm64) or SIGQUIT (Ctrl-\) never reaches atexit.
// The handler, while the UI is up:
//   1. writes the terminal's own "mouse off, reset attributes, show cursor,
//      leave full screen" strings captured at start, and puts back the tty modes
//      saved before curses started (write and tcsetattr are async-signal-safe);
//   2. gives stderr back (held_stderr.h), so a "Fatal error: ..." written just
//      before a trap appears now, on the ordinary screen;
//   3. prints a one-line note ("erofs-top: crashed (SIGILL); the terminal was
//      restored").
// Then it calls the handler that was there before (the Swift runtime's
// backtracer) with the original signal information and context, so its report
// names the real crash site. Last, it takes the signal's default action: the
// process ends with the signal (and a core dump where enabled) even when the
// signal was sent with kill(1), after which a returning handler would otherwise
// let the program run on.
#ifndef EROFS_TOP_CNCURSES_CRASH_H
#define EROFS_TOP_CNCURSES_CRASH_H

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <curses.h>
#include "held_stderr.h"

#define EROFS_CRASH_SIGNALS 7
static inline const int *erofs_crash_signals(void) {
    static const int sigs[EROFS_CRASH_SIGNALS] = { SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT, SIGQUIT };
    return sigs;
}
static inline const char *erofs_crash_signal_name(int index) {
    static const char *names[EROFS_CRASH_SIGNALS] = { "SIGSEGV", "SIGBUS", "SIGILL", "SIGTRAP", "SIGFPE", "SIGABRT", "SIGQUIT" };
    return names[index];
}
static inline int erofs_crash_index(int sig) {
    const int *sigs = erofs_crash_signals();
    for (int i = 0; i < EROFS_CRASH_SIGNALS; i++) if (sigs[i] == sig) return i;
    return -1;
}

static inline struct termios *erofs_crash_termios(int *valid, int set) {
    static struct termios saved;
    static int isValid = 0;
    if (set >= 0) isValid = set;
    if (valid) *valid = isValid;
    return &saved;
}
static inline char *erofs_crash_sequence(void) { static char seq[256]; return seq; }
/// One prepared note per signal, so the handler only writes.
static inline char *erofs_crash_note(int index) { static char notes[EROFS_CRASH_SIGNALS][192]; return notes[index]; }
static inline struct sigaction *erofs_crash_previous(void) {
    static struct sigaction previous[EROFS_CRASH_SIGNALS];
    return previous;
}
static inline volatile sig_atomic_t *erofs_crash_armed(void) { static volatile sig_atomic_t armed = 0; return &armed; }

static inline size_t erofs_cstring_length(const char *s, size_t max) {
    size_t n = 0;
    while (n < max && s[n]) n++;
    return n;
}

static inline void erofs_on_crash_signal(int sig, siginfo_t *info, void *context) {
    int index = erofs_crash_index(sig);
    if (*erofs_crash_armed()) {
        *erofs_crash_armed() = 0;
        const char *seq = erofs_crash_sequence();
        erofs_write_all(STDOUT_FILENO, seq, erofs_cstring_length(seq, 255));
        int valid = 0;
        struct termios *saved = erofs_crash_termios(&valid, -1);
        if (valid) tcsetattr(STDIN_FILENO, TCSANOW, saved);
        erofs_stderr_give_back();
        if (index >= 0) {
            const char *note = erofs_crash_note(index);
            erofs_write_all(STDERR_FILENO, note, erofs_cstring_length(note, 191));
        }
    }
    if (index >= 0) {
        struct sigaction previous = erofs_crash_previous()[index];
        sigaction(sig, &previous, NULL);
        if (previous.sa_flags & SA_SIGINFO) {
            if (previous.sa_sigaction) previous.sa_sigaction(sig, info, context);
        } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
            previous.sa_handler(sig);
        }
    }
    struct sigaction fallback;
    memset(&fallback, 0, sizeof fallback);
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    sigaction(sig, &fallback, NULL);
    sigset_t unblock;
    sigemptyset(&unblock);
    sigaddset(&unblock, sig);
    sigprocmask(SIG_UNBLOCK, &unblock, NULL);
    raise(sig);
    _exit(128 + sig);
}

static inline void erofs_append_cap(char *seq, const char *cap) {
    char *s = tigetstr((char *)cap);
    if (s == NULL || s == (char *)-1) return;
    size_t used = strlen(seq), add = strlen(s);
    if (used + add < 255) memcpy(seq + used, s, add + 1);
}

/// Saves the tty modes; call before newterm. Returns 0 when stdin is no tty.
static inline int erofs_crash_save_tty(void) {
    int ok = tcgetattr(STDIN_FILENO, erofs_crash_termios(NULL, -1)) == 0;
    erofs_crash_termios(NULL, ok);
    return ok;
}

/// Captures the reset strings (after newterm), prepares the notes naming
/// `program`, and installs the handlers (once; later calls only re-arm).
static inline void erofs_crash_arm(int mouse, const char *program) {
    char *seq = erofs_crash_sequence();
    seq[0] = 0;
    if (mouse) {
        const char *off = "\033[?1000l\033[?1006l";
        if (strlen(off) < 255) strcpy(seq, off);
    }
    erofs_append_cap(seq, "sgr0");
    erofs_append_cap(seq, "cnorm");
    erofs_append_cap(seq, "rmcup");
    for (int i = 0; i < EROFS_CRASH_SIGNALS; i++) {
        const char *what = erofs_crash_signals()[i] == SIGQUIT ? "quit" : "crashed";
        snprintf(erofs_crash_note(i), 192, "%s: %s (%s); the terminal was restored\n", program, what, erofs_crash_signal_name(i));
    }
    static int installed = 0;
    if (!installed) {
        installed = 1;
        const int *sigs = erofs_crash_signals();
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = erofs_on_crash_signal;
        sigemptyset(&sa.sa_mask);
        // SA_ONSTACK: run on the alternate stack the Swift runtime sets up, so a
        // stack overflow still gets here; SA_NODEFER: the final raise is delivered.
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
        for (int i = 0; i < EROFS_CRASH_SIGNALS; i++) sigaction(sigs[i], &sa, &erofs_crash_previous()[i]);
    }
    *erofs_crash_armed() = 1;
}

/// After a normal restore: the terminal is fine, crashes need no cleanup.
static inline void erofs_crash_disarm(void) { *erofs_crash_armed() = 0; }

#endif
