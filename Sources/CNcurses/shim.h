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

static inline int erofs_stop_requested(void) { return (int)*erofs_stop_flag(); }
static inline void erofs_reset_stop_flag(void) { *erofs_stop_flag() = 0; }

// The crash path and standard error while the UI runs.
#include "held_stderr.h"
#include "crash.h"

#endif
