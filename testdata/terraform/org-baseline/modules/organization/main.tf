variable "workload_ou_ids" {
  type = list(string)
}

variable "partition" {
  type = string
}

module "scps" {
  source = "../scps"

  targets   = var.workload_ou_ids
  partition = var.partition
}

output "deny_root_policy_id" {
  value = module.scps.deny_root_policy_id
}
