/*
 * test_wait.c: the poll schedule of cp_aws_wait (providers/aws/aws_common.c).
 * A wait never sleeps longer than its type's poll interval, so what depends
 * on the object starts at most one interval after it is ready; the first
 * poll comes early (a quarter of the interval) and the gaps grow, so a long
 * wait costs few requests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "providers/aws/aws_common.h"

static void test_never_beyond_the_interval(void **st)
{
    (void)st;
    static const int intervals[] = { 1000, 2000, 3000, 5000, 10000 };
    for (size_t i = 0; i < sizeof intervals / sizeof *intervals; i++) {
        int prev = 0;
        for (int a = 0; a < 50; a++) {
            int d = cp_aws_wait_delay_ms(a, intervals[i]);
            assert_true(d > 0);
            assert_true(d <= intervals[i]);
            assert_true(d >= prev); /* gaps only grow */
            prev = d;
        }
        assert_int_equal(prev, intervals[i]);
        assert_int_equal(cp_aws_wait_delay_ms(0, intervals[i]), intervals[i] / 4);
    }
}

/* A 10-minute wait at a 10 s interval polls about once per interval once
 * the gaps have grown: at most 64 polls, where a fixed 1 s poll would make
 * 600 requests. */
static void test_few_polls_on_a_long_wait(void **st)
{
    (void)st;
    long elapsed = 0;
    int polls = 0;
    while (elapsed < 600000) elapsed += cp_aws_wait_delay_ms(polls++, 10000);
    assert_true(polls <= 64);
    /* an object ready 1 s in is seen within 1 s of it */
    elapsed = 0;
    for (int a = 0; elapsed < 1000; a++) elapsed += cp_aws_wait_delay_ms(a, 1000);
    assert_true(elapsed < 2000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_never_beyond_the_interval),
        cmocka_unit_test(test_few_polls_on_a_long_wait),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
