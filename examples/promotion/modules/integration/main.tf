# One tenant's copy of an integration, published to every user of the tenant (each connects their own
# Gmail account in the Integrations widget) and pushed to their instances on each change. It is refused, before anything changes, on a tenant whose Appmixer or
# connector versions differ from the reference tenant's.
terraform {
  required_providers {
    appmixer = {
      source = "appmixer/appmixer"
    }
  }
}

variable "definition" {
  description = "The draft's flow descriptor (JSON)."
  type        = string
}

variable "wizard" {
  description = "The integration wizard (JSON)."
  type        = string
}

variable "notes" {
  description = "The Designer's sticky notes of the integration (JSON)."
  type        = string
  default     = null
}

variable "reference" {
  description = "What the reference tenant runs: its Appmixer version and the version of each connector bundle the integration needs."
  type = object({
    version = string
    bundles = map(string)
  })
}

variable "force_destroy" {
  description = "Let destroy delete the published integration with every end user's instance (tests set it)."
  type        = bool
  default     = false
}

data "appmixer_system" "this" {}

data "appmixer_bundles" "this" {}

locals {
  # Bundles whose version here differs from the reference's.
  mismatched = {
    for name, want in var.reference.bundles : name => lookup(data.appmixer_bundles.this.versions, name, "not installed")
    if lookup(data.appmixer_bundles.this.versions, name, "not installed") != want
  }
}

# The Automation Hub tab the integration shows in. Each tenant has its own, with its own id.
resource "appmixer_integration_category" "onboarding" {
  name        = "Onboarding"
  description = "Integrations for a customer's first days."
}

resource "appmixer_integration" "welcome" {
  name        = "Welcome e-mail"
  description = "Welcomes a new customer by e-mail."
  definition  = var.definition
  wizard      = var.wizard
  notes       = var.notes
  categories  = [appmixer_integration_category.onboarding.id]
  custom_fields = {
    managed_by = "terraform"
  }
  shared_with     = [{ scope = "user" }]
  instance_update = "on_change"
  # Off: destroying a published integration would delete customers' instances the provider cannot see.
  force_destroy = var.force_destroy

  lifecycle {
    precondition {
      condition     = data.appmixer_system.this.version == var.reference.version
      error_message = "This tenant runs Appmixer ${data.appmixer_system.this.version}, the reference tenant ${var.reference.version}: promote between tenants of the same version."
    }
    precondition {
      condition     = length(local.mismatched) == 0
      error_message = "Connector versions differ from the reference tenant's: here ${jsonencode(local.mismatched)}, there ${jsonencode(var.reference.bundles)}."
    }
  }
}

# Instance counts are left out: customers change them all the time, and the nightly plan stays quiet.
output "integration" {
  value = {
    id          = appmixer_integration.welcome.id
    template_id = appmixer_integration.welcome.template_id
    category_id = appmixer_integration_category.onboarding.id
  }
}
