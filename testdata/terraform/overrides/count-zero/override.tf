# Applied before `zz_override.tf` (file names in lexicographic order): a local replaced by name.
locals {
  hw = 1
}
