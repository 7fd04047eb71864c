/*
 * lp_bg.h - one task at a time on a background thread, so a command can compute the next
 * piece while the previous one is written (lpsgd quantize: quantize chunk c + 1 while chunk
 * c goes to the disk). lp_bg_run waits for the task before, returns its status and starts
 * fn(arg); lp_bg_wait waits for the last one; lp_bg_stop waits and ends the thread. Without
 * a thread (lp_bg_start failed: bg == NULL) the tasks run at once in the caller.
 */
#ifndef LP_BG_H
#define LP_BG_H

typedef struct lp_bg lp_bg_t;

lp_bg_t *lp_bg_start(void);
int lp_bg_run(lp_bg_t *bg, int (*fn)(void *arg), void *arg);
int lp_bg_wait(lp_bg_t *bg);
void lp_bg_stop(lp_bg_t *bg);

#endif
