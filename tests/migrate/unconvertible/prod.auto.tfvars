owner   = "platform"
retired = true
