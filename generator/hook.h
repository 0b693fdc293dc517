/* hook -- deterministic pause points, for the tests only.
 *
 * With KEQING_TEST_HOOK=NAME[@N]:DIR in the environment, the N-th time
 * (default the first) the process reaches hook_point(NAME) it writes its
 * pid to DIR/NAME.ready (atomically) and blocks reading the FIFO
 * DIR/NAME.go until the test writes to it (or closes it), or a signal
 * arrives.  So a test can stop a run exactly between two steps - a
 * render between its plan and its drawing, an import in the middle of
 * its records - do something (a correction, a second render, a signal)
 * and let it go on, with no sleep and no timing window.  Without the
 * variable, hook_point costs one getenv the first time and nothing after.
 *
 * Points: "import-record" (the importer, after each record read),
 * "score-stored" (before the results are written), "render-planned"
 * (after the numbers are allocated, before any document is drawn),
 * "render-doc" (the parent, after each document it registers).
 * Not thread-safe (call from one thread); never fails.
 */
#ifndef KQ_HOOK_H
#define KQ_HOOK_H

void hook_point(const char *name);

#endif
