variable "prefix" {
  type = string
}

locals {
  ids = {
    workloads = "ou-ab12-11111111"
  }
}

output "workloads" {
  value = local.ids[var.prefix]
}
