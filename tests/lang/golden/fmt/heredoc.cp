locals {
user_data = <<-EOT
    #!/bin/sh   
      echo  "${var.x}"   
    EOT
  other=<<EOF
keep   this    exactly
EOF
 z=1
}
