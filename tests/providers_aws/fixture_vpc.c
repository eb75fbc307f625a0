/*
 * fixture_vpc.c: see fixture_vpc.h. Plain EC2 query calls on the harness's
 * configured client.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "fixture_vpc.h"
#include "aws/aws.h"

static void ec2(cpt_env *e, const char *action, aws_params *p, const char *path, char *out,
                size_t n)
{
    xmlDocPtr doc = NULL;
    aws_error err = { 0 };
    if (aws_query_call(cpt_client(e), "ec2", action, p, &doc, &err) != 0) {
        char *msg = aws_error_format(&err, "fixture", action);
        aws_error_clear(&err);
        aws_params_free(p);
        fail_msg("%s", msg);
    }
    char *t = aws_xml_text(aws_xml_root(doc), path);
    snprintf(out, n, "%s", t ? t : "");
    free(t);
    xmlFreeDoc(doc);
    aws_params_free(p);
}

void cpt_vpc_make(cpt_env *e, cpt_vpc *v)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "CidrBlock", "10.0.0.0/16");
    ec2(e, "CreateVpc", p, "vpc/vpcId", v->vpc, sizeof v->vpc);
    for (int i = 0; i < 2; i++) {
        p = aws_params_new();
        aws_params_add(p, "VpcId", v->vpc);
        aws_params_add(p, "CidrBlock", i ? "10.0.2.0/24" : "10.0.1.0/24");
        aws_params_add(p, "AvailabilityZone", i ? "us-east-1b" : "us-east-1a");
        ec2(e, "CreateSubnet", p, "subnet/subnetId", v->subnet[i], sizeof v->subnet[i]);
    }
    p = aws_params_new();
    aws_params_add(p, "VpcId", v->vpc);
    aws_params_add(p, "GroupName", "fixture");
    aws_params_add(p, "GroupDescription", "test fixture");
    ec2(e, "CreateSecurityGroup", p, "groupId", v->sg, sizeof v->sg);
}
