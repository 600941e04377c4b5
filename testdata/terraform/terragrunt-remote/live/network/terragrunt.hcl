# A registry module known to declare no guardrail at this version (src/tf/known-modules.tsv).
terraform {
  source = "tfr:///terraform-aws-modules/vpc/aws?version=6.0.1"
}
