locals {
  enabled = false
}
