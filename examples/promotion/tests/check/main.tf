# What one tenant holds after the promotion, read back from its API independently of the module under
# test: tests/promotion.tftest.hcl runs it once per tenant and asserts on its outputs.
terraform {
  required_providers {
    appmixer = {
      source = "appmixer/appmixer"
    }
  }
}

variable "flow_ids" {
  description = "The module's flow ids on this tenant, by flow key."
  type        = map(string)
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
