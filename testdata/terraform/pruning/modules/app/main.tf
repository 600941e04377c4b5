variable "name" {
  type = string
}

module "inner" {
  source = "../app-inner"
  name   = var.name
}

resource "aws_sqs_queue" "jobs" {
  name = "${var.name}-jobs"
}
