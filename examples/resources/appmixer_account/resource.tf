# An Acme Weather account from an API key kept outside Terraform's state.
variable "weather_api_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "appmixer_account" "weather" {
  service      = "acme:weather"
  name         = "weather-bot"
  display_name = "Weather bot (prod)"

  token_wo         = jsonencode({ apiKey = var.weather_api_key })
  token_wo_version = 1 # bump with a new key: the account is replaced and its flows re-bound

  # Bind the new account before the old one is deleted, so the flows using it never stop.
  lifecycle {
    create_before_destroy = true
  }
}

resource "appmixer_flow" "forecast" {
  name = "Daily forecast"
  definition = jsonencode({
    forecast = { type = "acme.weather.forecast.GetForecast" }
  })
  accounts = { forecast = appmixer_account.weather.id }
  stage    = "running"
}
