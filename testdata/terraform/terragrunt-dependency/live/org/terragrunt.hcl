terraform {
  source = "../../modules//org"
}
