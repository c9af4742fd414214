# Promoting a flow that was built in the dev tenant's designer: read it from dev, create it in prod,
# and bind prod's own account of each service its components need.
terraform {
  required_version = ">= 1.11"
  required_providers {
    appmixer = {
      source = "appmixer/appmixer"
    }
  }
}

variable "dev" {
  type = object({
    base_url = string
    username = string
    password = string
  })
  sensitive = true
}

variable "prod" {
  type = object({
    base_url = string
    username = string
    password = string
  })
  sensitive = true
}

variable "flow_name" {
  description = "Exact name of the flow in the dev tenant."
  type        = string
  default     = "Lead router"
}

variable "prod_account_names" {
  description = "Name of prod's connected account for each service the flow needs."
  type        = map(string)
  default = {
    "appmixer:slack" = "ops@example.com"
  }
}

provider "appmixer" {
  alias    = "dev"
  base_url = var.dev.base_url
  username = var.dev.username
  password = var.dev.password
}

provider "appmixer" {
  alias    = "prod"
  base_url = var.prod.base_url
  username = var.prod.username
  password = var.prod.password
}

data "appmixer_flow" "built_in_dev" {
  provider = appmixer.dev
  name     = var.flow_name
}

# Prod's own account ids, one per service.
data "appmixer_account" "prod" {
  provider = appmixer.prod
  for_each = var.prod_account_names

  service = each.key
  name    = each.value
}

resource "appmixer_flow" "promoted" {
  provider = appmixer.prod

  name          = data.appmixer_flow.built_in_dev.name
  description   = data.appmixer_flow.built_in_dev.description
  definition    = data.appmixer_flow.built_in_dev.definition
  custom_fields = data.appmixer_flow.built_in_dev.custom_fields
  # Every component that takes an account gets prod's account of the same service; a service
  # missing from prod_account_names is an error at plan time.
  accounts = {
    for component_id, service in data.appmixer_flow.built_in_dev.account_services :
    component_id => data.appmixer_account.prod[service].account_id
  }
  stage = "running"
}

output "prod_flow_id" {
  value = appmixer_flow.promoted.id
}
