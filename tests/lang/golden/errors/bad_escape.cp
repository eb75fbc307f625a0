locals {
  path = "C:\qdir"
}
