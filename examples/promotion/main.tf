# Promotion: one configuration deploys the same connector and flows to a dev and a prod tenant.
# Each tenant's account ids are looked up by name inside the module, never hard-coded.
terraform {
  required_version = ">= 1.11"
  required_providers {
    appmixer = {
      source = "appmixer/appmixer"
    }
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

module "dev" {
  source    = "./modules/tenant"
  providers = { appmixer = appmixer.dev }

  tenant_name          = "dev"
  slack_account_name   = var.dev.slack_account_name
  weather_account_name = var.dev.weather_account_name
  slack_client_id      = var.slack_client_ids["dev"]
  slack_client_secret  = var.slack_client_secrets["dev"]
  # Dev keeps its flows stopped until someone tries them; prod runs them.
  stage = "stopped"
}

module "prod" {
  source    = "./modules/tenant"
  providers = { appmixer = appmixer.prod }

  tenant_name          = "prod"
  slack_account_name   = var.prod.slack_account_name
  weather_account_name = var.prod.weather_account_name
  slack_client_id      = var.slack_client_ids["prod"]
  slack_client_secret  = var.slack_client_secrets["prod"]
  stage                = "running"
}
