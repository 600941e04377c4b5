terraform {
  source = "../../modules//toggle"
}

inputs = {
  enabled = true
}
