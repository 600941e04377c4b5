include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  # relative to this unit's directory; `//` names the module directory inside what is copied
  source = "../../modules//config-rules"
}

inputs = {
  frequency = "TwentyFour_Hours"
}
