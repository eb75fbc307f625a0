/*
 * events.h: what the engine reports while it works, for a renderer that
 * is not a terminal (cli/ui_json.c streams them as JSON lines).
 *
 * Refresh (refresh.c) and apply (apply/) call an observer, if one is
 * given, when an object's read or operation starts, is still running,
 * completes or fails. Calls come from worker threads, several at once: the
 * observer must be thread-safe. Strings are borrowed for the call only.
 */
#ifndef CP_PLAN_EVENTS_H
#define CP_PLAN_EVENTS_H

#include <stdbool.h>

typedef enum cp_event_kind {
    CP_EVENT_REFRESH_START,
    CP_EVENT_REFRESH_COMPLETE,
    CP_EVENT_APPLY_START,
    CP_EVENT_APPLY_PROGRESS,
    CP_EVENT_APPLY_COMPLETE,
    CP_EVENT_APPLY_ERRORED,
} cp_event_kind;

typedef struct cp_event {
    cp_event_kind kind;
    const char *address; /* instance address */
    const char *action;  /* apply: "create", "update", "delete", "read"; else NULL */
    const char *id;      /* the object's id when known, else NULL */
    double elapsed;      /* seconds since the operation started (progress, complete) */
    const char *error;   /* errored: one line */
} cp_event;

typedef struct cp_observer {
    void (*event)(void *ud, const cp_event *ev);
    void *ud;
} cp_observer;

static inline void cp_observe(const cp_observer *o, const cp_event *ev)
{
    if (o && o->event) o->event(o->ud, ev);
}

#endif
