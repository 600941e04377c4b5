terraform {
  source = "../../modules//scp"
}

# Without mock_outputs the root id is known only once `../org` is applied.
dependency "org" {
  config_path = "../org"
}

inputs = {
  target_id = dependency.org.outputs.root_id
}
