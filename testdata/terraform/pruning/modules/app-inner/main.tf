variable "name" {
  type = string
}

resource "aws_s3_bucket" "data" {
  bucket = "${var.name}-data"
}
