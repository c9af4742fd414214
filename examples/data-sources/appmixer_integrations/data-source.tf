# Every integration of a tenant, e.g. to write import blocks when adopting it.
data "appmixer_integrations" "all" {}

output "unpublished_integrations" {
  value = [for i in data.appmixer_integrations.all.integrations : i.name if !i.published]
}
