# Before a promotion: every service the flow needs has an account on the target tenant.
variable "accounts" {
  description = "Account names on the target tenant, by service (vendor:service)."
  type        = map(string)
}

locals {
  definition = provider::appmixer::flow_from_export(file("${path.module}/orders.json"))
}

resource "appmixer_flow" "orders" {
  name       = "Orders to Slack"
  definition = local.definition

  lifecycle {
    precondition {
      condition     = alltrue([for s in provider::appmixer::definition_services(local.definition) : contains(keys(var.accounts), s)])
      error_message = "The flow needs accounts of ${join(", ", provider::appmixer::definition_services(local.definition))}."
    }
  }
}
