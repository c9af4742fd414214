# Many tenants from one configuration with OpenTofu 1.9+: one provider block repeated with for_each,
# and the module called with for_each, each instance with its tenant's provider instance. Adding a
# tenant is one entry in var.tenants and var.passwords. Not for Terraform, which has no provider for_each.
terraform {
  required_providers {
    appmixer = {
      source = "appmixer/appmixer"
    }
  }
}

provider "appmixer" {
  alias                   = "tenant"
  for_each                = var.tenants
  base_url                = each.value.base_url
  username                = each.value.username
  password                = var.passwords[each.key]
  max_requests_per_second = each.value.max_requests_per_second
}

module "tenant" {
  source    = "../modules/tenant"
  for_each  = var.tenants
  providers = { appmixer = appmixer.tenant[each.key] }
  tenant    = each.key
}

output "flow_ids" {
  value = { for k, m in module.tenant : k => m.flow_id }
}
