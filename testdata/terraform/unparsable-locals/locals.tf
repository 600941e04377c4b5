# Not valid HCL (no value after `=`): Terraform rejects the module. This file has no guardrail
# marker and no module call, so it declares nothing; what main.tf reads from it is unknown.
locals {
  on =
}
