# The tenant's Appmixer version, e.g. to refuse a promotion between different versions.
data "appmixer_system" "this" {}

output "appmixer_version" {
  value = data.appmixer_system.this.version
}
