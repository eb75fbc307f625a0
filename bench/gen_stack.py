#!/usr/bin/python3
"""gen_stack.py N OUTDIR: write a generated stack of N resource blocks
(each about 30 lines, with references to earlier resources) as
OUTDIR/main.cp, for parse/validate benchmarks (bench/run.sh).

N = 10000 gives about 300,000 lines. The output is deterministic and is in
`cpstack fmt` canonical form.
"""
import os
import sys

TEMPLATE = '''resource "aws_security_group" "sg_{i}" {{
  name        = "sg-{i}-${{stack.branch}}"
  description = "generated security group {i}"
  vpc_id      = {vpc}

  ingress {{
    protocol    = "tcp"
    from_port   = {port}
    to_port     = {port}
    cidr_blocks = ["10.{a}.{b}.0/24", var.office_cidr]
  }}

  egress {{
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }}

  tags = {{
    Name  = "sg-{i}"
    Index = {i}
    Owner = local.owner
    Prev  = {prev_name}
  }}

  count      = var.enabled ? 1 : 0
  depends_on = [{dep}]
  lifecycle {{
    create_before_destroy = true
  }}
}}

'''


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: gen_stack.py N OUTDIR\n")
        return 2
    n = int(sys.argv[1])
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    parts = ['''variable "office_cidr" {
  type    = string
  default = "192.0.2.0/24"
}

variable "enabled" {
  type    = bool
  default = true
}

locals {
  owner = "bench-${stack.branch}"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

''']
    for i in range(n):
        prev = i - 1
        parts.append(TEMPLATE.format(
            i=i,
            vpc="aws_vpc.main.id",
            port=1024 + i % 60000,
            a=(i // 256) % 256,
            b=i % 256,
            prev_name=('aws_security_group.sg_%d[0].name' % prev) if prev >= 0 else '"none"',
            dep=('aws_security_group.sg_%d' % (i // 2)) if i > 0 else 'aws_vpc.main'))
    parts.append('output "last" {\n  value = aws_security_group.sg_%d[0].id\n}\n' % (n - 1))
    path = os.path.join(out, 'main.cp')
    with open(path, 'w') as f:
        f.write(''.join(parts))
    return 0


if __name__ == '__main__':
    sys.exit(main())
