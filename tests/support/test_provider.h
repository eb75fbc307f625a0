/*
 * test_provider.h: the test-only "test" provider (provider_test.c) and its
 * type test_thing (resource and data source). It is linked only into test
 * programs (tests/cpstack-test, the provider tests), never into cpstack.
 */
#ifndef CP_TESTS_TEST_PROVIDER_H
#define CP_TESTS_TEST_PROVIDER_H

#include "providers/provider.h"

extern const cp_provider cp_provider_test;
extern const cp_resource_type cp_type_test_thing;      /* resource "test_thing" */
extern const cp_resource_type cp_type_test_thing_data; /* data "test_thing" */

#endif
