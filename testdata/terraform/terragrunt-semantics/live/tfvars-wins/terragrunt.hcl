# Inputs are TF_VAR_ values: the terraform.tfvars copied from this directory beats them
# (https://terragrunt.gruntwork.io/docs/reference/hcl/attributes/#inputs, "Variable Precedence").
terraform {
  source = "../../modules//toggle"
}

inputs = {
  enabled = true
}
