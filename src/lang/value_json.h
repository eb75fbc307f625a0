/*
 * value_json.h: conversion between cp_value and jansson's json_t.
 *
 * Used by state files, plan files, `-json` output and JSON functions.
 * Marks are not part of JSON: callers that must keep them (state) record
 * sensitive paths beside the value. Unknown values have no JSON form;
 * cp_value_to_json returns NULL if it meets one, unless unknown_as_null.
 */
#ifndef CP_LANG_VALUE_JSON_H
#define CP_LANG_VALUE_JSON_H

#include <jansson.h>
#include <stdbool.h>

#include "lang/value.h"

json_t *cp_value_to_json(const cp_value *v, bool unknown_as_null); /* new json ref */
cp_value *cp_value_from_json(const json_t *j); /* new value; NULL j gives null */

#endif
