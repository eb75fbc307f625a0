region = "eu-west-1"
owner  = "shop-team"
