variable "workload_ou_ids" {
  description = "OUs the root-deny SCP is attached to"
  type        = list(string)
  default     = []
}

variable "partition" {
  type    = string
  default = "aws"
}
