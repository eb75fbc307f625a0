region = "eu-west-1"
owner  = "shop-team"
db_password = "hunter2-not-in-dest"
