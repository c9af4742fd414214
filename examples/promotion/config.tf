# Each tenant's own Slack app: client ids are plain configuration, client secrets ephemeral.

variable "slack_client_ids" {
  description = "Client id of each tenant's Slack app, by tenant: dev and prod."
  type        = map(string)
}

variable "slack_client_secrets" {
  description = "Client secret of each tenant's Slack app, by tenant: dev and prod."
  type        = map(string)
  sensitive   = true
  ephemeral   = true
}

output "alerts_store_ids" {
  description = "The data store each tenant's storm alerts flow writes to: a different id per tenant."
  value       = { dev = module.dev.alerts_store_id, prod = module.prod.alerts_store_id }
}
