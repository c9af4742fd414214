# The connector bundles a tenant has installed, by name.
data "appmixer_bundles" "this" {}

output "email_connector_version" {
  value = lookup(data.appmixer_bundles.this.versions, "appmixer.utils.email", "not installed")
}
