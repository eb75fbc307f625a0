/*
 * config_json.h: a JSON text as a cp_value config for the rule tests
 * (test_rules.c, test_validate_config.c), the string "?" standing for an
 * unknown value anywhere in it.
 */
#ifndef CP_TEST_CONFIG_JSON_H
#define CP_TEST_CONFIG_JSON_H

#include <jansson.h>

#include "lang/value.h"

/* json → cp_value, "?" becoming unknown anywhere (new reference). */
cp_value *cpt_config_from_json(const json_t *j);

#endif
