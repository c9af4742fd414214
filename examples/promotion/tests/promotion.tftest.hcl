# Applies the promotion to the two local tenants tests/run.sh starts, then reads each tenant back through
# tests/check and asserts what a promotion must get right. terraform test destroys everything at the end.

variables {
  slack_client_ids     = { dev = "dev-client-id", prod = "prod-client-id" }
  slack_client_secrets = { dev = "dev-client-secret", prod = "prod-client-secret" }
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
    flow_ids = run.promote.prod_flows
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
    condition     = strcontains(output.definitions.storm_alerts, run.promote.alerts_store_ids.prod) && !strcontains(output.definitions.storm_alerts, run.promote.alerts_store_ids.dev)
    error_message = "Prod's storm alerts flow must write to prod's data store ${run.promote.alerts_store_ids.prod}, not dev's."
  }
  # The integration, published to the tenant's users (a separate assert: the integration's settings may grow).
  assert {
    condition     = anytrue([for i in output.integrations : i.id == run.promote.integrations.prod.id && i.published && i.template_id == run.promote.integrations.prod.template_id])
    error_message = "Prod must publish the welcome integration ${run.promote.integrations.prod.id}: it has ${jsonencode(output.integrations)}."
  }
}

run "dev" {
  providers = { appmixer = appmixer.dev }
  module {
    source = "./tests/check"
  }
  variables {
    flow_ids = run.promote.dev_flows
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
    condition     = strcontains(output.definitions.storm_alerts, run.promote.alerts_store_ids.dev) && !strcontains(output.definitions.storm_alerts, run.promote.alerts_store_ids.prod)
    error_message = "Dev's storm alerts flow must write to dev's data store ${run.promote.alerts_store_ids.dev}, not prod's."
  }
  # The integration, published to the tenant's users (a separate assert: the integration's settings may grow).
  assert {
    condition     = anytrue([for i in output.integrations : i.id == run.promote.integrations.dev.id && i.published && i.template_id == run.promote.integrations.dev.template_id])
    error_message = "Dev must publish the welcome integration ${run.promote.integrations.dev.id}: it has ${jsonencode(output.integrations)}."
  }
}
