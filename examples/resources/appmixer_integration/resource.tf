variable "force_destroy" {
  description = "Let destroy delete the published integration with every end user's instance."
  type        = bool
  default     = false
}

resource "appmixer_integration_category" "onboarding" {
  name = "Onboarding"
}

# An integration that every end user of the tenant can add from the Integrations widget: a welcome
# e-mail when their flow starts, with the recipient asked in the wizard.
resource "appmixer_integration" "welcome" {
  name        = "Welcome e-mail"
  description = "Sends a welcome e-mail to a new customer."
  # Component ids are UUIDs, as the designer makes them; the template gets its own.
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
  # What end users fill in; sources name components of the definition.
  wizard = jsonencode({
    fields = [{
      type   = "inspectorField", label = "Recipient"
      source = "3d2c1b0a-0002-4e5f-8a9b-0c1d2e3f4a5b.config.transform.in.3d2c1b0a-0001-4e5f-8a9b-0c1d2e3f4a5b.out.lambda.to"
    }]
  })
  custom_fields = { category = "onboarding" }

  # The Automation Hub's tab it shows in, and the Designer's sticky notes; both reach the template.
  categories = [appmixer_integration_category.onboarding.id]
  notes = jsonencode({
    "9f8e7d6c-0001-4b3a-8c2d-1e0f9a8b7c6d" = { x = 100, y = 250, width = 240, height = 100, content = "**Welcome mail.** The wizard asks for the recipient." }
  })

  # Published: shared with every user of the tenant.
  shared_with = [{ scope = "user" }]

  # Push each new version to every customer's instance, and wait for it.
  instance_update = "on_change"

  # A published integration is destroyed only with force_destroy, which deletes every customer's
  # instance too: the provider cannot see customers' instances to rule them out. Off here; tests that
  # destroy this example set the variable.
  force_destroy = var.force_destroy

  timeouts {
    update = "30m"
  }
}

output "welcome_instances" {
  value = appmixer_integration.welcome.instance_count
}
