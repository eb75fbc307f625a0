/*
 * config_validate.h: what `cpstack validate` checks by evaluating, beyond
 * cp_config_load's static checks.
 *
 * Every expression of the stack (variable defaults and validations,
 * locals, count, for_each, resource and data source arguments, outputs,
 * the stack's region) is evaluated with every reference unknown, as no
 * state or variable value exists yet. What is left known is computed, so
 * an unknown function anywhere (even in a local nothing uses), a wrong
 * number of arguments, a literal argument out of range
 * (cidrsubnet("10.0.0.0/16", 8, 256)), a literal of the wrong type, or a
 * known count that is not a whole number is reported at its file:line:col.
 * An error at a place cp_config_load already reported is not repeated.
 */
#ifndef CP_CONFIG_CONFIG_VALIDATE_H
#define CP_CONFIG_CONFIG_VALIDATE_H

#include "config/config.h"

/* Adds to d every error the evaluation finds (d holds the load's). */
void cp_config_check_expressions(const cp_config *c, cp_diags *d);

#endif
