# A category made by hand in each tenant, found by name: the integration names each tenant's own id.
data "appmixer_integration_category" "onboarding" {
  name = "Onboarding"
}

resource "appmixer_integration" "welcome" {
  name       = "Welcome e-mail"
  definition = file("${path.module}/flows/welcome.json")
  categories = [data.appmixer_integration_category.onboarding.id]
}
