/*
 * lp_bg.c - one background task at a time (lp_bg.h): a thread, a mutex and a condition.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

#include "lp_bg.h"

struct lp_bg {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int (*fn)(void *arg); /* the task to run, or NULL */
    void *arg;
    int busy, status, quit;
};

static void *bg_main(void *p)
{
    lp_bg_t *bg = p;
    pthread_mutex_lock(&bg->mu);
    for (;;) {
        while (!bg->fn && !bg->quit)
            pthread_cond_wait(&bg->cv, &bg->mu);
        if (!bg->fn)
            break;
        int (*fn)(void *) = bg->fn;
        pthread_mutex_unlock(&bg->mu);
        int st = fn(bg->arg);
        pthread_mutex_lock(&bg->mu);
        bg->fn = NULL;
        bg->status = st;
        bg->busy = 0;
        pthread_cond_broadcast(&bg->cv);
    }
    pthread_mutex_unlock(&bg->mu);
    return NULL;
}

lp_bg_t *lp_bg_start(void)
{
    lp_bg_t *bg = calloc(1, sizeof *bg);
    if (!bg)
        return NULL;
    pthread_mutex_init(&bg->mu, NULL);
    pthread_cond_init(&bg->cv, NULL);
    /* the thread takes no signal: they go to the main thread, whose handlers clean up */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int bad = pthread_create(&bg->thread, NULL, bg_main, bg);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (bad) {
        pthread_cond_destroy(&bg->cv);
        pthread_mutex_destroy(&bg->mu);
        free(bg);
        return NULL;
    }
    return bg;
}

int lp_bg_wait(lp_bg_t *bg)
{
    if (!bg)
        return 0;
    pthread_mutex_lock(&bg->mu);
    while (bg->busy)
        pthread_cond_wait(&bg->cv, &bg->mu);
    int st = bg->status;
    bg->status = 0;
    pthread_mutex_unlock(&bg->mu);
    return st;
}

int lp_bg_run(lp_bg_t *bg, int (*fn)(void *arg), void *arg)
{
    if (!bg)
        return fn(arg);
    int st = lp_bg_wait(bg);
    if (st)
        return st; /* the task before failed: start nothing more */
    pthread_mutex_lock(&bg->mu);
    bg->fn = fn;
    bg->arg = arg;
    bg->busy = 1;
    pthread_cond_broadcast(&bg->cv);
    pthread_mutex_unlock(&bg->mu);
    return 0;
}

void lp_bg_stop(lp_bg_t *bg)
{
    if (!bg)
        return;
    lp_bg_wait(bg);
    pthread_mutex_lock(&bg->mu);
    bg->quit = 1;
    pthread_cond_broadcast(&bg->cv);
    pthread_mutex_unlock(&bg->mu);
    pthread_join(bg->thread, NULL);
    pthread_cond_destroy(&bg->cv);
    pthread_mutex_destroy(&bg->mu);
    free(bg);
}
