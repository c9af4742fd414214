# The integration both tenants publish to their end users. Dev is the reference: prod gets it only
# while it runs the Appmixer version and the connector versions dev runs, the check the official
# `appmixer transfer flow` makes before it copies anything.
data "appmixer_system" "dev" {
  provider = appmixer.dev
}

data "appmixer_bundles" "dev" {
  provider = appmixer.dev
}

locals {
  welcome_definition = file("${path.module}/integrations/welcome.json")
  # The connector bundles it needs: each component type without its last part, e.g. appmixer.utils.email.
  welcome_bundles = toset([for c in jsondecode(local.welcome_definition) : join(".", slice(split(".", c.type), 0, 3))])
  reference = {
    version = data.appmixer_system.dev.version
    bundles = { for b in local.welcome_bundles : b => lookup(data.appmixer_bundles.dev.versions, b, "not installed") }
  }
}

module "dev_integration" {
  source    = "./modules/integration"
  providers = { appmixer = appmixer.dev }

  definition = local.welcome_definition
  wizard     = file("${path.module}/integrations/welcome-wizard.json")
  notes      = file("${path.module}/integrations/welcome-notes.json")
  reference  = local.reference

  force_destroy = var.force_destroy_integrations
}

module "prod_integration" {
  source    = "./modules/integration"
  providers = { appmixer = appmixer.prod }

  definition = local.welcome_definition
  wizard     = file("${path.module}/integrations/welcome-wizard.json")
  notes      = file("${path.module}/integrations/welcome-notes.json")
  reference  = local.reference

  force_destroy = var.force_destroy_integrations
}

output "integrations" {
  description = "The welcome integration's draft and template on each tenant."
  value = {
    dev  = module.dev_integration.integration
    prod = module.prod_integration.integration
  }
}
