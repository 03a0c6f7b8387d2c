#ifndef LOOKOUT_CNCURSES_SHIM_H
#define LOOKOUT_CNCURSES_SHIM_H

// Why this shim exists: Swift imports neither C macros with arguments (getmaxyx, COLOR_PAIR) nor the attribute
// constants built from NCURSES_BITS (A_BOLD, …), and ncurses only declares its wide-character API when
// NCURSES_WIDECHAR is set before <curses.h>. The wrappers are prefixed `lookout_` so they cannot collide with
// ncurses' own names. Only the NcursesTerminal module uses this.

#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <ncursesw/curses.h>

/// Starts curses on stdin/stdout; NULL for an unknown terminal type (initscr would exit the process instead).
static inline SCREEN *lookout_newterm(void) { return newterm(NULL, stdout, stdin); }

static inline int lookout_lines(void) { return LINES; }
static inline int lookout_cols(void) { return COLS; }
static inline int lookout_colors(void) { return COLORS; }
static inline int lookout_color_pairs(void) { return COLOR_PAIRS; }
static inline WINDOW *lookout_stdscr(void) { return stdscr; }

static inline attr_t lookout_a_normal(void) { return A_NORMAL; }
static inline attr_t lookout_a_bold(void) { return A_BOLD; }
static inline attr_t lookout_a_dim(void) { return A_DIM; }
static inline attr_t lookout_a_underline(void) { return A_UNDERLINE; }
static inline attr_t lookout_a_reverse(void) { return A_REVERSE; }

static inline int lookout_key_resize(void) { return KEY_RESIZE; }
static inline int lookout_key_up(void) { return KEY_UP; }
static inline int lookout_key_down(void) { return KEY_DOWN; }
static inline int lookout_key_left(void) { return KEY_LEFT; }
static inline int lookout_key_right(void) { return KEY_RIGHT; }
static inline int lookout_key_btab(void) { return KEY_BTAB; }
static inline int lookout_key_enter(void) { return KEY_ENTER; }
static inline int lookout_key_backspace(void) { return KEY_BACKSPACE; }
static inline int lookout_key_ppage(void) { return KEY_PPAGE; }
static inline int lookout_key_npage(void) { return KEY_NPAGE; }
static inline int lookout_key_home(void) { return KEY_HOME; }
static inline int lookout_key_end(void) { return KEY_END; }
static inline int lookout_key_ic(void) { return KEY_IC; }
static inline int lookout_key_dc(void) { return KEY_DC; }
static inline int lookout_key_f0(void) { return KEY_F0; }
static inline int lookout_key_find(void) { return KEY_FIND; }
static inline int lookout_key_select(void) { return KEY_SELECT; }
static inline int lookout_key_a1(void) { return KEY_A1; }
static inline int lookout_key_c1(void) { return KEY_C1; }
static inline int lookout_key_a3(void) { return KEY_A3; }
static inline int lookout_key_c3(void) { return KEY_C3; }
static inline int lookout_key_code_yes(void) { return KEY_CODE_YES; }
static inline int lookout_key_mouse(void) { return KEY_MOUSE; }

/// Clicks, double clicks and the wheel (buttons 4 and 5), or nothing.
static inline void lookout_mouse(int on) {
    mousemask(on ? (BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED) : 0, NULL);
    mouseinterval(on ? 200 : 0);
}

/// The mouse event after KEY_MOUSE: 1 click, 2 double click, 3 wheel up, 4 wheel down; 0 for anything else.
static inline int lookout_get_mouse(int *x, int *y) {
    MEVENT event;
    if (getmouse(&event) != OK) return 0;
    *x = event.x;
    *y = event.y;
    if (event.bstate & BUTTON1_DOUBLE_CLICKED) return 2;
    if (event.bstate & BUTTON1_CLICKED) return 1;
    if (event.bstate & BUTTON4_PRESSED) return 3;
    if (event.bstate & BUTTON5_PRESSED) return 4;
    return 0;
}

/// Defines a colour pair; extended, so direct-colour terminals (COLORS = 2^24, TERM=*-direct) take RGB values.
static inline int lookout_init_pair(int pair, int fg, int bg) { return init_extended_pair(pair, fg, bg); }

/// Sets the attributes and colour pair for the following writes (attr_set is a macro in some builds).
static inline int lookout_attr_set(attr_t attrs, int pair) {
    // Pairs above 32767 need the extended form: the pair number goes through the opts pointer.
    return wattr_set(stdscr, attrs, (short)(pair < 32767 ? pair : 0), pair < 32767 ? NULL : (void *)&pair);
}

/// Writes `n` wide characters at (y, x).
static inline int lookout_put(int y, int x, const wchar_t *text, int n) { return mvaddnwstr(y, x, text, n); }

/// Reads one key without waiting: the key or KEY_CODE_YES with the code in *out; ERR when none.
static inline int lookout_get_key(wint_t *out) { return get_wch(out); }

// --- The terminal is restored even when the process dies. ---------------------------------------------------------
// A trap (a Swift runtime failure is SIGILL or SIGTRAP), a crash or an abort would otherwise leave the terminal on the
// alternate screen with the cursor hidden and echo off. The handler does only async-signal-safe work (tcsetattr,
// write), then puts back the handler that was there before (Swift's backtracer, or the default) and returns: the
// faulting instruction runs again and that handler reports the crash on the restored screen.
#include <signal.h>
#include <termios.h>
#include <unistd.h>

// The state lives in function-local statics: Swift emits a header's static inline functions, not its globals.
static inline struct termios *lookout_saved_termios(void) { static struct termios saved; return &saved; }
static inline volatile sig_atomic_t *lookout_restore_armed(void) { static volatile sig_atomic_t armed; return &armed; }
static inline struct sigaction *lookout_previous_actions(void) { static struct sigaction previous[NSIG]; return previous; }
static const int lookout_fatal_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT};

static inline void lookout_crash_handler(int sig, siginfo_t *info, void *context) {
    (void)context;
    if (*lookout_restore_armed()) {
        *lookout_restore_armed() = 0;
        tcsetattr(STDIN_FILENO, TCSANOW, lookout_saved_termios());
        static const char reset[] = "\033[0m\033[?2004l\033[?1000l\033[?1002l\033[?1006l\033[?1049l\033[?25h\r\n";
        (void)!write(STDOUT_FILENO, reset, sizeof reset - 1);
        static const char note[] = "lookout: crashed; the terminal was restored. Please report what follows.\n";
        (void)!write(STDERR_FILENO, note, sizeof note - 1);
    }
    if (sig > 0 && sig < NSIG) sigaction(sig, &lookout_previous_actions()[sig], NULL);
    // A fault runs its instruction again on return, into the previous handler; a signal that was sent (kill, raise,
    // abort) is sent again.
    if (sig == SIGABRT || info == NULL || info->si_code <= 0) raise(sig);
}

/// Saves the terminal's state (call before curses changes it) and arms the crash handler.
static inline void lookout_arm_crash_restore(void) {
    if (tcgetattr(STDIN_FILENO, lookout_saved_termios()) != 0) return;
    for (unsigned i = 0; i < sizeof lookout_fatal_signals / sizeof lookout_fatal_signals[0]; i++) {
        int sig = lookout_fatal_signals[i];
        struct sigaction action;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_NODEFER | SA_ONSTACK | SA_SIGINFO;
        action.sa_sigaction = lookout_crash_handler;
        sigaction(sig, &action, &lookout_previous_actions()[sig]);
    }
    *lookout_restore_armed() = 1;
}

/// The watchdog's last resort (NcursesScreen): a quit signal that the run loop did not act on in time. The terminal
/// is given back as the crash handler gives it (when it was not already), and the process ends with `code`.
static inline void lookout_emergency_exit(int code) {
    if (*lookout_restore_armed()) {
        *lookout_restore_armed() = 0;
        tcsetattr(STDIN_FILENO, TCSANOW, lookout_saved_termios());
        static const char reset[] = "\033[0m\033[?2004l\033[?1000l\033[?1002l\033[?1006l\033[?1049l\033[?25h\r\n";
        (void)!write(STDOUT_FILENO, reset, sizeof reset - 1);
    }
    _exit(code);
}

// --- The quit watchdog (QuitWatchdog) --------------------------------------------------------------------------------
static inline struct sigaction *lookout_quit_previous(void) { static struct sigaction previous[NSIG]; return previous; }

static inline void lookout_quit_alarm(int sig) { (void)sig; lookout_emergency_exit(0); }

/// A quit signal: the alarm set (one second), then the handler that was there before (dispatch's, which tells the
/// run loop).
static inline void lookout_quit_handler(int sig, siginfo_t *info, void *context) {
    alarm(1);
    if (sig <= 0 || sig >= NSIG) return;
    struct sigaction *previous = &lookout_quit_previous()[sig];
    if (previous->sa_flags & SA_SIGINFO) {
        if (previous->sa_sigaction) previous->sa_sigaction(sig, info, context);
    } else if (previous->sa_handler != SIG_IGN && previous->sa_handler != SIG_DFL) {
        previous->sa_handler(sig);
    }
}

static inline void lookout_arm_quit_watchdog(void) {
    struct sigaction alarmAction;
    sigemptyset(&alarmAction.sa_mask);
    alarmAction.sa_flags = 0;
    alarmAction.sa_handler = lookout_quit_alarm;
    sigaction(SIGALRM, &alarmAction, NULL);
    static const int quits[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    for (unsigned i = 0; i < sizeof quits / sizeof quits[0]; i++) {
        struct sigaction action;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_SIGINFO | SA_RESTART;
        action.sa_sigaction = lookout_quit_handler;
        sigaction(quits[i], &action, &lookout_quit_previous()[quits[i]]);
    }
}

/// Disarms it after a normal restore, putting the previous handlers back.
static inline void lookout_disarm_crash_restore(void) {
    if (!*lookout_restore_armed()) return;
    *lookout_restore_armed() = 0;
    for (unsigned i = 0; i < sizeof lookout_fatal_signals / sizeof lookout_fatal_signals[0]; i++) {
        int sig = lookout_fatal_signals[i];
        sigaction(sig, &lookout_previous_actions()[sig], NULL);
    }
}

#endif
