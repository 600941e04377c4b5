# https://terragrunt.gruntwork.io/docs/reference/hcl/attributes/#skip
skip = true

terraform {
  source = "../../modules//toggle"
}
