# Many tenants from one configuration with Terraform: a provider configuration (alias) per tenant, and
# the same module called once per tenant with that tenant's configuration. Terraform cannot repeat a
# provider block with for_each, so adding a tenant is one provider block and one module block.
terraform {
  required_version = ">= 1.11"
  required_providers {
    appmixer = {
      source = "appmixer/appmixer"
    }
  }
}

provider "appmixer" {
  alias                   = "dev"
  base_url                = var.tenants["dev"].base_url
  username                = var.tenants["dev"].username
  password                = var.passwords["dev"]
  max_requests_per_second = var.tenants["dev"].max_requests_per_second
}

provider "appmixer" {
  alias                   = "stage"
  base_url                = var.tenants["stage"].base_url
  username                = var.tenants["stage"].username
  password                = var.passwords["stage"]
  max_requests_per_second = var.tenants["stage"].max_requests_per_second
}

provider "appmixer" {
  alias                   = "prod"
  base_url                = var.tenants["prod"].base_url
  username                = var.tenants["prod"].username
  password                = var.passwords["prod"]
  max_requests_per_second = var.tenants["prod"].max_requests_per_second
}

module "dev" {
  source    = "../modules/tenant"
  providers = { appmixer = appmixer.dev }
  tenant    = "dev"
}

module "stage" {
  source    = "../modules/tenant"
  providers = { appmixer = appmixer.stage }
  tenant    = "stage"
}

module "prod" {
  source    = "../modules/tenant"
  providers = { appmixer = appmixer.prod }
  tenant    = "prod"
}

output "flow_ids" {
  value = { dev = module.dev.flow_id, stage = module.stage.flow_id, prod = module.prod.flow_id }
}
