# Names inside directives are references like any other: the loop
# variable exists only between %{ for } and %{ endfor }.
locals {
  ok  = "%{ for i, x in [1, 2] }${i}:${x}%{ endfor }"
  bad = "%{ for x in [1] }${x}${local.y}%{ endfor }${x}%{ if local.z }${local.w}%{ endif }"
}
