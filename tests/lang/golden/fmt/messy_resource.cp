

   # leading comment
resource   "aws_instance"   "web"{
ami="ami-123"   # the image
      instance_type =var.type
  count=3



  vpc_security_group_ids=[aws_security_group.web.id,
  aws_security_group.ssh.id]
    tags={Name="web-${count.index}",Env=var.env}
  # a comment line
  user_data = templatefile("x.sh",{
      a=1
      bb=[ 1,2 ,3 ]
  })
  lifecycle{
  create_before_destroy=true
  ignore_changes=[tags]
  }
  x = -1 + !true ? a[0] : b.*.c
  y = f(a...)
  z = {for k,v in m: k=>v}
  /* block
     comment */
  w = a[*].b
}
output "x" { value = 1 }  
