# What the tenant's flows rely on besides the connector and the accounts: the Slack connector's OAuth
# client (each tenant has its own Slack app) and the data store the storm alerts are kept in.

variable "slack_client_id" {
  description = "Client id of the tenant's Slack app."
  type        = string
}

variable "slack_client_secret" {
  description = "Client secret of the tenant's Slack app; ephemeral, so it reaches neither plan nor state."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "slack_client_secret_version" {
  description = "Bump after changing slack_client_secret, to send it again."
  type        = number
  default     = 1
}

resource "appmixer_service_config" "slack" {
  service_id = "appmixer:slack"
  values     = jsonencode({ clientId = var.slack_client_id })

  secret_values_wo         = jsonencode({ clientSecret = var.slack_client_secret })
  secret_values_wo_version = var.slack_client_secret_version
}

resource "appmixer_data_store" "alerts" {
  name = "Storm alerts sent"
}

locals {
  # The ids the flow descriptors (templates) name, which differ per tenant.
  flow_vars = {
    alerts_store_id = appmixer_data_store.alerts.id
  }
}

output "alerts_store_id" {
  value = appmixer_data_store.alerts.id
}
