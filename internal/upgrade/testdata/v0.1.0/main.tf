# Every resource type 0.1.0 (commit b6c5744) had, as its users wrote them: applied with that build,
# then planned with the current one, which must find nothing to change.
terraform {
  required_providers {
    appmixer = {
      source = "appmixer/appmixer"
    }
  }
}

variable "base_url" {
  type = string
}
variable "username" {
  type = string
}
variable "password" {
  type      = string
  sensitive = true
}
variable "connector_dir" {
  type = string
}

provider "appmixer" {
  base_url = var.base_url
  username = var.username
  password = var.password
}

resource "appmixer_user" "ops" {
  username            = "ops@example.com"
  scope               = ["user", "developer"]
  vendor              = "acme"
  password_wo         = "ops-password-1"
  password_wo_version = 1
}

resource "appmixer_user" "legacy" {
  username = "legacy-bot"
  email    = "legacy-bot@example.com"
  password = "legacy-password-1"
}

resource "appmixer_component" "weather" {
  name       = "acme.weather"
  source_dir = var.connector_dir
}

resource "appmixer_flow" "forecast" {
  name        = "Daily forecast"
  description = "Upgrade test flow."
  stage       = "running"
  definition = jsonencode({
    "0b9f3f1e-6c1a-4f8e-9a51-2d3c4b5a6f70" = {
      type = "appmixer.utils.controls.OnStart", label = "Start", x = 100, y = 100, source = {}, config = {}
    }
    "7c2d9e4a-1b3f-4a6e-8d5c-9f0e1a2b3c4d" = {
      type   = "acme.weather.forecast.GetForecast", label = "Forecast", x = 320, y = 100
      source = { in = { "0b9f3f1e-6c1a-4f8e-9a51-2d3c4b5a6f70" = ["out"] } }
      config = { transform = { in = { "0b9f3f1e-6c1a-4f8e-9a51-2d3c4b5a6f70" = { out = { type = "json2new", lambda = { city = "Prague" } } } } } }
    }
  })
  custom_fields = { managed_by = "terraform" }

  depends_on = [appmixer_component.weather]
}
