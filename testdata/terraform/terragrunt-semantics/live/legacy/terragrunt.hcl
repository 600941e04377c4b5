# The deprecated root terragrunt.hcl: included by the unit below, not a unit itself
# (https://terragrunt.gruntwork.io/docs/migrate/migrating-from-root-terragrunt-hcl/).
terraform {
  source = "${get_terragrunt_dir()}/../../../modules//toggle"
}
