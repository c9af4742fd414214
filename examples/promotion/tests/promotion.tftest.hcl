# Applies the promotion to the two local tenants tests/run.sh starts, then reads each tenant back through
# tests/check and asserts what a promotion must get right. terraform test destroys everything at the end.

variables {
  slack_client_ids     = { dev = "dev-client-id", prod = "prod-client-id" }
  slack_client_secrets = { dev = "dev-client-secret", prod = "prod-client-secret" }
  # terraform test destroys what it applied; a published integration is destroyed only with force_destroy.
  force_destroy_integrations = true
}

# The test's own view of each tenant, configured as the module's are.
provider "appmixer" {
  alias    = "dev"
  base_url = var.dev.base_url
  username = var.dev.username
  password = var.dev.password
}

provider "appmixer" {
  alias    = "prod"
  base_url = var.prod.base_url
  username = var.prod.username
  password = var.prod.password
}

run "promote" {
  command = apply

  assert {
    condition     = keys(output.dev_flows) == keys(output.prod_flows)
    error_message = "Dev and prod got different flows: ${jsonencode(keys(output.dev_flows))} and ${jsonencode(keys(output.prod_flows))}."
  }
  assert {
    condition     = output.alerts_store_ids.dev != output.alerts_store_ids.prod
    error_message = "Both tenants name the same data store ${output.alerts_store_ids.dev}: each must get its own."
  }
}

run "prod" {
  providers = { appmixer = appmixer.prod }
  module {
    source = "./tests/check"
  }
  variables {
    flow_ids       = run.promote.prod_flows
    own_store_id   = run.promote.alerts_store_ids.prod
    other_store_id = run.promote.alerts_store_ids.dev
    integration    = run.promote.integrations.prod
  }

  assert {
    condition     = alltrue([for s in values(output.stages) : s == "running"])
    error_message = "Every flow must run on prod: ${jsonencode(output.stages)}."
  }
  assert {
    condition     = length(output.foreign_bindings) == 0 && output.bound_components.daily_forecast == 2 && output.bound_components.storm_alerts == 1
    error_message = "Prod's flows must use prod's own accounts of each component's service: ${jsonencode(output.foreign_bindings)}, bound ${jsonencode(output.bound_components)}."
  }
  assert {
    condition     = output.storm_alerts_store_ok
    error_message = "Prod's storm alerts flow must write to prod's own data store (run.promote's alerts_store_ids), not dev's."
  }
  # The integration, published to the tenant's users (a separate assert: the integration's settings may grow).
  assert {
    condition     = output.integration_published
    error_message = "Prod must publish the welcome integration run.promote reports (integrations): it has ${jsonencode(output.integrations)}."
  }
  assert {
    condition     = output.integration_category_ok
    error_message = "Prod's integration must be in prod's own Onboarding category (found by name), not the other tenant's."
  }
}

run "dev" {
  providers = { appmixer = appmixer.dev }
  module {
    source = "./tests/check"
  }
  variables {
    flow_ids       = run.promote.dev_flows
    own_store_id   = run.promote.alerts_store_ids.dev
    other_store_id = run.promote.alerts_store_ids.prod
    integration    = run.promote.integrations.dev
  }

  assert {
    condition     = alltrue([for s in values(output.stages) : s == "stopped"])
    error_message = "Dev keeps its flows stopped: ${jsonencode(output.stages)}."
  }
  assert {
    condition     = length(output.foreign_bindings) == 0 && output.bound_components.daily_forecast == 2 && output.bound_components.storm_alerts == 1
    error_message = "Dev's flows must use dev's own accounts of each component's service: ${jsonencode(output.foreign_bindings)}, bound ${jsonencode(output.bound_components)}."
  }
  assert {
    condition     = output.storm_alerts_store_ok
    error_message = "Dev's storm alerts flow must write to dev's own data store (run.promote's alerts_store_ids), not prod's."
  }
  # The integration, published to the tenant's users (a separate assert: the integration's settings may grow).
  assert {
    condition     = output.integration_published
    error_message = "Dev must publish the welcome integration run.promote reports (integrations): it has ${jsonencode(output.integrations)}."
  }
  assert {
    condition     = output.integration_category_ok
    error_message = "Dev's integration must be in dev's own Onboarding category (found by name), not the other tenant's."
  }
}
