locals {
	a = var.x +
}
