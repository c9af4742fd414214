# What every tenant gets. The module names no provider configuration: the caller hands it the tenant's.
terraform {
  required_providers {
    appmixer = {
      source = "appmixer/appmixer"
    }
  }
}

variable "tenant" {
  description = "The tenant's key (dev, stage, prod, ...), which names what it gets."
  type        = string
}

resource "appmixer_data_store" "audit" {
  name = "audit-${var.tenant}"
}

resource "appmixer_flow" "heartbeat" {
  name  = "Heartbeat (${var.tenant})"
  stage = "stopped"
  definition = jsonencode({
    start = { type = "appmixer.utils.controls.OnStart", label = "Start", x = 100, y = 100 }
  })
}

output "flow_id" {
  value = appmixer_flow.heartbeat.id
}

output "data_store_id" {
  value = appmixer_data_store.audit.id
}
