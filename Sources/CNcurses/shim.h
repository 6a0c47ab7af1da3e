// Thin C shim over ncursesw for Swift.
//
// SwiftPM drops pkg-config's -D_XOPEN_SOURCE=600, so the wide-character API is
// enabled here, before curses.h. Everything below is a static inline wrapper for
// something Swift cannot import: function-like macros (getmaxyx, KEY_F, mouse
// masks, COLOR_PAIR), attribute bit macros, and C globals that Swift 6 rejects
// as not concurrency-safe (stdscr, stdin/stdout). A system-library target
// compiles no .c file, so the shim must stay header-only.
#ifndef EROFS_TOP_CNCURSES_SHIM_H
#define EROFS_TOP_CNCURSES_SHIM_H

#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <curses.h>

// MARK: C globals

static inline WINDOW *erofs_stdscr(void) { return stdscr; }
static inline FILE *erofs_stdout(void) { return stdout; }
static inline FILE *erofs_stdin(void) { return stdin; }

static inline WINDOW *erofs_curscr(void) { return curscr; }
static inline int erofs_color_pairs(void) { return COLOR_PAIRS; }
static inline int erofs_colors(void) { return COLORS; }

// MARK: geometry (getmaxyx is a macro)

static inline int erofs_getmaxy(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)x; return y; }
static inline int erofs_getmaxx(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)y; return x; }

// MARK: attributes (A_* are macros over NCURSES_BITS)

static inline attr_t erofs_attr_normal(void) { return A_NORMAL; }
static inline attr_t erofs_attr_bold(void) { return A_BOLD; }
static inline attr_t erofs_attr_reverse(void) { return A_REVERSE; }
static inline attr_t erofs_attr_dim(void) { return A_DIM; }
static inline attr_t erofs_attr_underline(void) { return A_UNDERLINE; }

/// Sets the window's attributes and colour pair in one call (wattr_set).
static inline int erofs_set_style(WINDOW *w, attr_t attrs, short pair) {
    return wattr_set(w, attrs, pair, NULL);
}

// MARK: keys

static inline int erofs_key_f(int n) { return KEY_F(n); }

// MARK: mouse (the BUTTON* masks are function-like macros)

static inline mmask_t erofs_mouse_mask_wanted(void) {
    return BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED;
}
static inline int erofs_mouse_is_click(mmask_t b) { return (b & (BUTTON1_PRESSED | BUTTON1_CLICKED)) != 0; }
static inline int erofs_mouse_is_wheel_up(mmask_t b) { return (b & BUTTON4_PRESSED) != 0; }
static inline int erofs_mouse_is_wheel_down(mmask_t b) { return (b & BUTTON5_PRESSED) != 0; }

// MARK: signals
//
// The handler only sets a flag (async-signal-safe); the app loop polls it and
// restores the terminal on its own stack. A second signal while the flag is
// still set falls back to the default action so a wedged program can be killed.
// The flag lives in a function-local static: only the TerminalUI module calls
// these, so exactly one copy is emitted.

static inline volatile sig_atomic_t *erofs_stop_flag(void) {
    static volatile sig_atomic_t flag = 0;
    return &flag;
}

static inline void erofs_on_stop_signal(int sig) {
    volatile sig_atomic_t *flag = erofs_stop_flag();
    if (*flag) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    *flag = sig;
}

static inline void erofs_install_stop_handlers(void) {
    struct sigaction sa;
    sa.sa_handler = erofs_on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; // no SA_RESTART: let the blocking read return early
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

// MARK: crash path
//
// A crash (SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT: a Swift trap is
// SIGILL or SIGTRAP) never reaches atexit. The handler puts the tty modes saved
// before curses started back with tcsetattr, writes the terminal's own
// "leave full screen, show cursor, reset attributes" strings captured at start
// (write and tcsetattr are async-signal-safe), then re-raises the signal with
// the previous disposition, so core dumps and the Swift backtracer still work.

#define EROFS_CRASH_SIGNALS 6
static inline const int *erofs_crash_signals(void) {
    static const int sigs[EROFS_CRASH_SIGNALS] = { SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT };
    return sigs;
}
static inline struct termios *erofs_crash_termios(int *valid, int set) {
    static struct termios saved;
    static int isValid = 0;
    if (set >= 0) isValid = set;
    if (valid) *valid = isValid;
    return &saved;
}
static inline char *erofs_crash_sequence(void) { static char seq[256]; return seq; }
static inline struct sigaction *erofs_crash_previous(void) {
    static struct sigaction previous[EROFS_CRASH_SIGNALS];
    return previous;
}
static inline volatile sig_atomic_t *erofs_crash_armed(void) { static volatile sig_atomic_t armed = 0; return &armed; }

static inline void erofs_on_crash_signal(int sig) {
    if (*erofs_crash_armed()) {
        *erofs_crash_armed() = 0;
        int valid = 0;
        struct termios *saved = erofs_crash_termios(&valid, -1);
        const char *seq = erofs_crash_sequence();
        size_t n = 0;
        while (n < 255 && seq[n]) n++;
        if (n) { ssize_t w = write(STDOUT_FILENO, seq, n); (void)w; }
        if (valid) tcsetattr(STDIN_FILENO, TCSANOW, saved);
    }
    const int *sigs = erofs_crash_signals();
    for (int i = 0; i < EROFS_CRASH_SIGNALS; i++) {
        if (sigs[i] == sig) { sigaction(sig, &erofs_crash_previous()[i], NULL); break; }
    }
    raise(sig);
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

/// Captures the reset strings (after newterm) and installs the handlers.
static inline void erofs_crash_arm(int mouse) {
    char *seq = erofs_crash_sequence();
    seq[0] = 0;
    if (mouse) {
        const char *off = "\033[?1000l\033[?1006l";
        if (strlen(off) < 255) strcpy(seq, off);
    }
    erofs_append_cap(seq, "sgr0");
    erofs_append_cap(seq, "cnorm");
    erofs_append_cap(seq, "rmcup");
    const int *sigs = erofs_crash_signals();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = erofs_on_crash_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_NODEFER;
    for (int i = 0; i < EROFS_CRASH_SIGNALS; i++) sigaction(sigs[i], &sa, &erofs_crash_previous()[i]);
    *erofs_crash_armed() = 1;
}

/// After a normal restore: the terminal is fine, crashes need no cleanup.
static inline void erofs_crash_disarm(void) { *erofs_crash_armed() = 0; }

static inline int erofs_stop_requested(void) { return (int)*erofs_stop_flag(); }
static inline void erofs_reset_stop_flag(void) { *erofs_stop_flag() = 0; }

#endif
