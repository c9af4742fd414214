# The configuration under test: a weather report, posted to Slack when the flow starts, that uses the
# team's own Acme Weather connector and the connected accounts, looked up by name as on a real tenant.
terraform {
  required_providers {
    appmixer = {
      source = "appmixer/appmixer"
    }
  }
}

# Credentials come from APPMIXER_BASE_URL, APPMIXER_USERNAME and APPMIXER_PASSWORD.
provider "appmixer" {}

data "appmixer_account" "slack" {
  service = "appmixer:slack"
  name    = "Ops Slack"
}

data "appmixer_account" "weather" {
  service = "acme:weather"
  name    = "Acme Weather (CI)"
}

resource "appmixer_flow" "weather_report" {
  name  = "Weather report"
  stage = "running"

  definition = jsonencode({
    "5d0c6a3e-2f1b-4c8d-9e7a-000000000001" = {
      type   = "appmixer.utils.controls.OnStart"
      label  = "Start"
      x      = 100
      y      = 100
      source = {}
    }
    "5d0c6a3e-2f1b-4c8d-9e7a-000000000002" = {
      type   = "acme.weather.forecast.GetForecast"
      label  = "Forecast for Prague"
      x      = 320
      y      = 100
      source = { in = { "5d0c6a3e-2f1b-4c8d-9e7a-000000000001" = ["out"] } }
      config = {
        transform = {
          in = {
            "5d0c6a3e-2f1b-4c8d-9e7a-000000000001" = {
              out = { type = "json2new", lambda = { city = "Prague" } }
            }
          }
        }
      }
    }
    "5d0c6a3e-2f1b-4c8d-9e7a-000000000003" = {
      type   = "appmixer.slack.list.SendChannelMessage"
      label  = "Post to #ops"
      x      = 540
      y      = 100
      source = { in = { "5d0c6a3e-2f1b-4c8d-9e7a-000000000002" = ["out"] } }
      config = {
        transform = {
          in = {
            "5d0c6a3e-2f1b-4c8d-9e7a-000000000002" = {
              out = { type = "json2new", lambda = { channelId = "#ops", text = "{{{summary}}}" } }
            }
          }
        }
      }
    }
  })

  accounts = {
    "5d0c6a3e-2f1b-4c8d-9e7a-000000000002" = data.appmixer_account.weather.account_id
    "5d0c6a3e-2f1b-4c8d-9e7a-000000000003" = data.appmixer_account.slack.account_id
  }
}

output "flow" {
  value = {
    id       = appmixer_flow.weather_report.id
    stage    = appmixer_flow.weather_report.stage
    accounts = appmixer_flow.weather_report.accounts
  }
}
