# Publish a whole service from its source folder (the one holding service.json). Editing any
# packed file changes source_hash, and the next apply re-publishes the connector.
resource "appmixer_component" "weather" {
  name       = "acme.weather"
  source_dir = "${path.module}/../../connectors/acme-weather/acme/weather"

  timeouts {
    create = "5m"
    update = "5m"
  }
}

# Or publish a package built elsewhere, e.g. by `appmixer pack` in CI.
resource "appmixer_component" "billing" {
  name       = "acme.billing"
  source_zip = "${path.module}/dist/acme.billing.zip"
}

output "weather_components" {
  value = appmixer_component.weather.components
}
