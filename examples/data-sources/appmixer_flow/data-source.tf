# Promote a flow built in the dev tenant's designer to production.
provider "appmixer" {
  alias    = "dev"
  tenant   = "acme-dev"
  username = var.dev_username
  password = var.dev_password
}

data "appmixer_flow" "onboarding" {
  provider = appmixer.dev
  name     = "Customer onboarding"
}

# Production's own Slack account; account ids differ between tenants.
data "appmixer_account" "slack" {
  service = "appmixer:slack"
  name    = "ops@example.com"
}

resource "appmixer_flow" "onboarding" {
  name       = data.appmixer_flow.onboarding.name
  definition = data.appmixer_flow.onboarding.definition
  stage      = "running"
  accounts = {
    for component_id, _ in data.appmixer_flow.onboarding.accounts :
    component_id => data.appmixer_account.slack.account_id
  }
}

variable "dev_username" {
  type = string
}

variable "dev_password" {
  type      = string
  sensitive = true
}
