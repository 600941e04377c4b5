workload_ou_ids = ["ou-ab12-11111111", "ou-ab12-22222222"]
