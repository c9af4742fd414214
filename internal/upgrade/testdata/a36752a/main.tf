# Every resource type commit a36752a (what users of 0.2.0 hold) had, as its users wrote them: applied with that build,
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

resource "appmixer_service_config" "slack" {
  service_id               = "appmixer:slack"
  values                   = jsonencode({ clientId = "1234567890.0987654321", sandbox = false })
  secret_values_wo         = jsonencode({ clientSecret = "slack-secret-1" })
  secret_values_wo_version = 1
}

resource "appmixer_account" "weather" {
  service          = "acme:weather"
  name             = "weather-bot"
  display_name     = "Weather bot"
  token_wo         = jsonencode({ apiKey = "weather-key-1" })
  token_wo_version = 1

  depends_on = [appmixer_component.weather]
}

resource "appmixer_data_store" "orders" {
  name = "Processed orders"
}

resource "appmixer_acl" "components" {
  type = "components"
  rules = [
    { role = "admin", resource = "*", action = ["*"], attributes = ["non-private"] },
    { role = "user", resource = "appmixer.utils*", action = ["use"], attributes = ["non-private"] },
  ]
}

resource "appmixer_config" "signup_scope" {
  key   = "API_USER_CREATE_SCOPE"
  value = jsonencode("admin")
}

resource "appmixer_config" "jwt_secret" {
  key              = "JWTSecret"
  value_wo         = jsonencode("jwt-secret-1")
  value_wo_version = 1
}

resource "appmixer_modifiers" "tenant" {
  document = file("${path.module}/modifiers.json")
}

resource "appmixer_public_file" "logo" {
  filename = "logo.svg"
  source   = "${path.module}/logo.svg"
}

resource "appmixer_integration" "welcome" {
  name        = "Welcome e-mail"
  description = "Sends a welcome e-mail to a new customer."
  definition = jsonencode({
    "3d2c1b0a-0001-4e5f-8a9b-0c1d2e3f4a5b" = { type = "appmixer.utils.controls.OnStart", label = "Start", x = 100, y = 100, source = {} }
    "3d2c1b0a-0002-4e5f-8a9b-0c1d2e3f4a5b" = {
      type   = "appmixer.utils.email.SendEmail", label = "Welcome", x = 300, y = 100
      source = { in = { "3d2c1b0a-0001-4e5f-8a9b-0c1d2e3f4a5b" = ["out"] } }
      config = { transform = { in = { "3d2c1b0a-0001-4e5f-8a9b-0c1d2e3f4a5b" = { out = {
        type   = "json2new"
        lambda = { to = "customer@example.com", subject = "Welcome", text = "Hello!" }
      } } } } }
    }
  })
  wizard = jsonencode({
    fields = [{
      type   = "inspectorField", label = "Recipient"
      source = "3d2c1b0a-0002-4e5f-8a9b-0c1d2e3f4a5b.config.transform.in.3d2c1b0a-0001-4e5f-8a9b-0c1d2e3f4a5b.out.lambda.to"
    }]
  })
  custom_fields   = { category = "onboarding" }
  shared_with     = [{ scope = "user" }]
  instance_update = "on_change"
}
