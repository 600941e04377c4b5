enable_root_deny   = true
security_topic_arn = "arn:aws:sns:eu-west-1:111111111111:security"
