locals {
  enabled_everywhere = false
}

inputs = {
  enabled = true
  tags    = { a = "1" }
}
