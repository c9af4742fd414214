# The README demo: looks up apps and a connected account on the tenant the APPMIXER_* variables name,
# and deploys a running flow that uses that account.
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

# When started: post to Slack with the looked-up account, then send an e-mail.
resource "appmixer_flow" "hello" {
  name  = "Hello from Terraform"
  stage = "running"

  definition = jsonencode({
    "3a1e0c52-5b7d-4e61-9f0a-000000000001" = {
      type   = "appmixer.utils.controls.OnStart"
      label  = "Start"
      x      = 100
      y      = 100
      source = {}
    }
    "3a1e0c52-5b7d-4e61-9f0a-000000000002" = {
      type   = "appmixer.slack.list.SendChannelMessage"
      label  = "Post to #ops"
      x      = 320
      y      = 100
      source = { in = { "3a1e0c52-5b7d-4e61-9f0a-000000000001" = ["out"] } }
      config = {
        transform = {
          in = {
            "3a1e0c52-5b7d-4e61-9f0a-000000000001" = {
              out = { type = "json2new", lambda = { channelId = "#ops", text = "Hello from Terraform" } }
            }
          }
        }
      }
    }
    "3a1e0c52-5b7d-4e61-9f0a-000000000003" = {
      type   = "appmixer.utils.email.SendEmail"
      label  = "Tell the team"
      x      = 540
      y      = 100
      source = { in = { "3a1e0c52-5b7d-4e61-9f0a-000000000002" = ["out"] } }
    }
  })

  accounts = {
    "3a1e0c52-5b7d-4e61-9f0a-000000000002" = data.appmixer_account.slack.account_id
  }
}

output "slack_apps" {
  value = [for app in data.appmixer_apps.slack.apps : "${app.name} (${app.label})"]
}

output "slack_account_id" {
  value = data.appmixer_account.slack.account_id
}

output "flow" {
  value = {
    id     = appmixer_flow.hello.id
    stage  = appmixer_flow.hello.stage
    linked = appmixer_flow.hello.accounts
  }
}
