# Everything one tenant gets: the Acme Weather connector and the flows that use it, with the
# tenant's own connected accounts bound to the components that need them.
terraform {
  required_providers {
    appmixer = {
      source = "appmixer/appmixer"
    }
  }
}

variable "tenant_name" {
  type = string
}

variable "slack_account_name" {
  description = "Name of the tenant's connected Slack account."
  type        = string
}

variable "weather_account_name" {
  description = "Name of the tenant's connected Acme Weather account."
  type        = string
}

variable "stage" {
  type = string
}

resource "appmixer_component" "weather" {
  name       = "acme.weather"
  source_dir = "${path.module}/../../../connectors/acme-weather/acme/weather"
}

# The same names resolve to different ids on each tenant.
data "appmixer_account" "slack" {
  service = "appmixer:slack"
  name    = var.slack_account_name
}

data "appmixer_account" "weather" {
  service = "acme:weather"
  name    = var.weather_account_name
}

locals {
  flows = {
    daily_forecast = {
      name = "Daily forecast to Slack"
      file = "daily-forecast.json"
      # Component id in the descriptor => account to bind.
      accounts = {
        "6f1c2a70-0002-4c1e-9a51-5d2f00000002" = data.appmixer_account.weather.account_id
        "6f1c2a70-0003-4c1e-9a51-5d2f00000003" = data.appmixer_account.slack.account_id
      }
    }
    storm_alerts = {
      name = "Storm alerts by e-mail"
      file = "storm-alerts.json.tftpl"
      accounts = {
        "9a7e5b10-0001-4f0a-8c33-7e4b00000001" = data.appmixer_account.weather.account_id
      }
    }
  }
}

resource "appmixer_flow" "this" {
  for_each = local.flows

  name = each.value.name
  # The same descriptor on every tenant; only the bound accounts and the ids of config.tf differ.
  definition = templatefile("${path.module}/../../flows/${each.value.file}", local.flow_vars)
  accounts   = each.value.accounts
  stage      = var.stage
  custom_fields = {
    managed_by = "terraform"
    tenant     = var.tenant_name
  }

  # The flows use the connector's components, so it is published first.
  depends_on = [appmixer_component.weather]
}

output "flow_ids" {
  value = { for k, f in appmixer_flow.this : k => f.id }
}

output "bindings" {
  value = { for k, f in appmixer_flow.this : k => f.accounts }
}
