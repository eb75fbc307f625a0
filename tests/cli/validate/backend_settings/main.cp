stack "x" {
  region = "eu-west-1"
  backend "s3" {
    bucket = "b"
    key    = "x"
    regoin = "eu-west-1"
    lock {
    }
  }
  backend "local" {
  }
}
