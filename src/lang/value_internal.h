/*
 * value_internal.h: the hooks value_ops.c needs from value.c's storage.
 * Not for use outside src/lang/value*.c.
 */
#ifndef CP_LANG_VALUE_INTERNAL_H
#define CP_LANG_VALUE_INTERNAL_H
#include "lang/value.h"
/* A fresh, non-singleton copy of a null, bool or unknown value. */
cp_value *cp__scalar_copy(const cp_value *v);
void cp__set_sensitive(cp_value *v, bool sensitive);
/* v is not NULL and still held: a singleton or a positive reference count. */
bool cp__is_live(const cp_value *v);
#endif
