scp = {
  targets = ["r-ab12", "ou-ab12-11111111"]
}
