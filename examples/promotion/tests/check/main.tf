# What one tenant holds after the promotion, read back from its API independently of the module under
# test: tests/promotion.tftest.hcl runs it once per tenant and asserts on its outputs.
terraform {
  required_providers {
    appmixer = {
      source = "appmixer/appmixer"
    }
  }
}

# The tenants, as tests/run.sh passes them (TF_VAR_dev, TF_VAR_prod). The module does not use them:
# OpenTofu evaluates the test file's provider blocks against the module a run applies, so they are
# declared here for those blocks.
variable "dev" {
  type      = any
  default   = null
  sensitive = true
}

variable "prod" {
  type      = any
  default   = null
  sensitive = true
}

variable "flow_ids" {
  description = "The module's flow ids on this tenant, by flow key."
  type        = map(string)
}

variable "own_store_id" {
  description = "This tenant's data store id, which its storm alerts flow must name."
  type        = string
  default     = ""
}

variable "other_store_id" {
  description = "The other tenant's data store id, which must appear nowhere here."
  type        = string
  default     = ""
}

variable "integration" {
  description = "The welcome integration as the module reports it on this tenant: id, template_id and its category's id."
  type        = object({ id = string, template_id = string, category_id = optional(string) })
  default     = null
}

data "appmixer_flow" "this" {
  for_each = var.flow_ids
  id       = each.value
}

data "appmixer_accounts" "slack" {
  service = "appmixer:slack"
}

data "appmixer_accounts" "weather" {
  service = "acme:weather"
}

data "appmixer_integrations" "welcome" {
  pattern = "Welcome e-mail"
}

# The tenant's own Automation Hub category, found by name.
data "appmixer_integration_category" "onboarding" {
  name = "Onboarding"
}

locals {
  # The tenant's own connected accounts, by service.
  own_accounts = {
    "appmixer:slack" = data.appmixer_accounts.slack.accounts[*].account_id
    "acme:weather"   = data.appmixer_accounts.weather.accounts[*].account_id
  }
}

output "stages" {
  description = "Each flow's stage as the tenant reports it."
  value       = { for k, f in data.appmixer_flow.this : k => f.stage }
}

output "definitions" {
  description = "Each flow's descriptor as the tenant stores it."
  value       = { for k, f in data.appmixer_flow.this : k => f.definition }
}

output "foreign_bindings" {
  description = "Components bound to an account that is not one of this tenant's accounts of the component's service; empty when every binding is right."
  value = flatten([
    for k, f in data.appmixer_flow.this : [
      for component, account in f.accounts : "${k}/${component}: ${account} (${f.account_services[component]})"
      if !contains(lookup(local.own_accounts, f.account_services[component], []), account)
    ]
  ])
}

output "bound_components" {
  description = "How many components of each flow have an account bound."
  value       = { for k, f in data.appmixer_flow.this : k => length(f.accounts) }
}

output "integrations" {
  description = "The welcome integration's drafts on this tenant."
  value       = data.appmixer_integrations.welcome.integrations
}

output "storm_alerts_store_ok" {
  description = "The storm alerts flow names this tenant's store and not the other's."
  value       = strcontains(data.appmixer_flow.this["storm_alerts"].definition, var.own_store_id) && !strcontains(data.appmixer_flow.this["storm_alerts"].definition, var.other_store_id)
}

output "integration_published" {
  description = "The module's integration is published here, with the template the module reports."
  value       = anytrue([for i in data.appmixer_integrations.welcome.integrations : i.id == var.integration.id && i.published && i.template_id == var.integration.template_id])
}

output "integration_category_ok" {
  description = "The module's integration is in this tenant's own Onboarding category, not the other tenant's."
  value       = var.integration.category_id == data.appmixer_integration_category.onboarding.id
}
