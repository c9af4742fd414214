# Plan-only tests of the promotion module: mock providers stand in for both tenants, so these need no
# server and run in seconds (terraform test -filter=tests/unit.tftest.hcl). Overrides give each
# tenant's look-ups and data store distinct ids, so the plan shows whose ids end up where.

mock_provider "appmixer" {
  alias = "dev"
  # The integration's preconditions compare versions between tenants: both report the same one.
  mock_data "appmixer_system" {
    defaults = { version = "6.1.0" }
  }
  mock_data "appmixer_bundles" {
    defaults = { versions = {} }
  }
}

mock_provider "appmixer" {
  alias = "prod"
  mock_data "appmixer_system" {
    defaults = { version = "6.1.0" }
  }
  mock_data "appmixer_bundles" {
    defaults = { versions = {} }
  }
}

variables {
  dev = {
    base_url           = "https://dev.invalid", username = "ci", password = "unused",
    slack_account_name = "Ops Slack", weather_account_name = "Acme Weather (CI)"
  }
  prod = {
    base_url           = "https://prod.invalid", username = "ci", password = "unused",
    slack_account_name = "Ops Slack", weather_account_name = "Acme Weather (CI)"
  }
  slack_client_ids     = { dev = "dev-client-id", prod = "prod-client-id" }
  slack_client_secrets = { dev = "dev-client-secret", prod = "prod-client-secret" }
}

override_data {
  target = module.dev.data.appmixer_account.slack
  values = { account_id = "dev-slack-account" }
}
override_data {
  target = module.dev.data.appmixer_account.weather
  values = { account_id = "dev-weather-account" }
}
override_data {
  target = module.prod.data.appmixer_account.slack
  values = { account_id = "prod-slack-account" }
}
override_data {
  target = module.prod.data.appmixer_account.weather
  values = { account_id = "prod-weather-account" }
}
override_resource {
  target = module.dev.appmixer_data_store.alerts
  values = { id = "dev-alerts-store" }
}
override_resource {
  target = module.prod.appmixer_data_store.alerts
  values = { id = "prod-alerts-store" }
}

run "prod_binds_its_own_accounts" {
  command = plan

  assert {
    # jsonencode sorts keys: the comparison ignores the map-or-object typing of the two sides.
    condition = jsonencode(output.prod_bindings) == jsonencode({
      daily_forecast = {
        "6f1c2a70-0002-4c1e-9a51-5d2f00000002" = "prod-weather-account"
        "6f1c2a70-0003-4c1e-9a51-5d2f00000003" = "prod-slack-account"
      }
      storm_alerts = { "9a7e5b10-0001-4f0a-8c33-7e4b00000001" = "prod-weather-account" }
    })
    error_message = "Prod's components must be bound to prod's accounts: ${jsonencode(output.prod_bindings)}."
  }
}

run "each_tenant_names_its_own_store" {
  # A created store's id is known only after apply: apply against the mocks, which reaches no server.
  command = apply

  assert {
    condition     = output.alerts_store_ids == { dev = "dev-alerts-store", prod = "prod-alerts-store" }
    error_message = "Each tenant's storm alerts flow must name its own data store: ${jsonencode(output.alerts_store_ids)}."
  }
}
