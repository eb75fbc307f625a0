/*
 * fixture_vpc.h: a VPC with two subnets in two availability zones and a
 * security group, made directly through the EC2 API (not through the EC2
 * resource types) for the tests of types that need a network: load
 * balancers (test_elbv2.c), ECS services (test_ecs.c), RDS (test_rds.c).
 */
#ifndef CP_TESTS_PROVIDERS_AWS_FIXTURE_VPC_H
#define CP_TESTS_PROVIDERS_AWS_FIXTURE_VPC_H

#include "harness.h"

typedef struct cpt_vpc {
    char vpc[64];
    char subnet[2][64]; /* us-east-1a, us-east-1b */
    char sg[64];
} cpt_vpc;

/* Fails the running test when the emulator refuses. */
void cpt_vpc_make(cpt_env *e, cpt_vpc *out);

#endif
