stack "x" {
  region = "eu-west-1"
  backend "locl" {
  }
}
