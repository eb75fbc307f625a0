# removed blocks: destroy = false forgets the object (it stays where it
# is); without a lifecycle block it is destroyed.
removed {
  from = random_id.keep
  lifecycle {
    destroy = false
  }
}

removed {
  from = random_id.drop
}
