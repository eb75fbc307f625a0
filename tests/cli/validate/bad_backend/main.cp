stack "x" {
  region = "eu-west-1"
  backend "gcs" {
    bucket = "b"
  }
}
