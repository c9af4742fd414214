# A tab of the Automation Hub. Integrations name it by id: the id differs per tenant, so pass the
# attribute rather than copying it.
resource "appmixer_integration_category" "onboarding" {
  name        = "Onboarding"
  description = "Integrations for a customer's first days."
}
