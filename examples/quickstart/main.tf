# The README demo: looks up apps and a connected account on the tenant the APPMIXER_* variables name.
terraform {
  required_providers {
    appmixer = {
      source = "appmixer/appmixer"
    }
  }
}

# Credentials come from APPMIXER_BASE_URL, APPMIXER_USERNAME and APPMIXER_PASSWORD.
provider "appmixer" {}

variable "slack_account_name" {
  description = "Name of the connected Slack account to look up."
  type        = string
  default     = "ops@example.com"
}

data "appmixer_apps" "slack" {
  name_prefix = "appmixer.slack"
}

data "appmixer_account" "slack" {
  service = "appmixer:slack"
  name    = var.slack_account_name
}

output "slack_apps" {
  value = [for app in data.appmixer_apps.slack.apps : "${app.name} (${app.label})"]
}

output "slack_account_id" {
  value = data.appmixer_account.slack.account_id
}
