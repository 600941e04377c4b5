module "organization" {
  source = "./modules/organization"

  workload_ou_ids = var.workload_ou_ids
  partition       = var.partition
}

module "config" {
  source = "./modules/config"
}
