locals {
  a = @foo
  b = 'single'
}
