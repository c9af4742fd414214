# Promote two flows and check, in the same apply, that they run cleanly: a flow that logs errors or
# piles up unprocessed messages gives a warning in the apply's output (and in every later plan).
terraform {
  required_providers {
    appmixer = {
      source = "appmixer/appmixer"
    }
  }
}

# Credentials come from APPMIXER_BASE_URL, APPMIXER_USERNAME and APPMIXER_PASSWORD.
provider "appmixer" {}

locals {
  # Each flow: when started, send an e-mail; keep the messages SendEmail fails on.
  flows = {
    orders  = "orders@example.com"
    billing = "billing@example.com"
  }
}

resource "appmixer_flow" "promoted" {
  for_each = local.flows
  name     = "Promoted ${each.key}"
  stage    = "running"
  definition = jsonencode({
    "7c1d2e3f-0000-4000-8000-000000000001" = {
      type = "appmixer.utils.controls.OnStart", x = 100, y = 100, source = {}, config = {}
    }
    "7c1d2e3f-0000-4000-8000-000000000002" = {
      type          = "appmixer.utils.email.SendEmail", x = 300, y = 100
      source        = { in = { "7c1d2e3f-0000-4000-8000-000000000001" = ["out"] } }
      config        = { properties = { to = each.value } }
      errorHandling = { onError = "storeUnprocessed" }
    }
  })
}

# One check per flow, so the warning names the flow that fails.
check "orders_runs_cleanly" {
  data "appmixer_flow_logs" "orders" {
    flow_ids = [appmixer_flow.promoted["orders"].id]
    since    = "1h"
  }

  assert {
    condition = data.appmixer_flow_logs.orders.error_count == 0
    error_message = format("Flow orders logged %d errors in the last hour: %s",
      data.appmixer_flow_logs.orders.error_count,
    join("; ", [for e in data.appmixer_flow_logs.orders.latest_errors : "${e.component_id}: ${coalesce(e.error, e.message, "?")}"]))
  }
}

check "billing_runs_cleanly" {
  data "appmixer_flow_logs" "billing" {
    flow_ids = [appmixer_flow.promoted["billing"].id]
    since    = "1h"
  }

  assert {
    condition = data.appmixer_flow_logs.billing.error_count == 0
    error_message = format("Flow billing logged %d errors in the last hour: %s",
      data.appmixer_flow_logs.billing.error_count,
    join("; ", [for e in data.appmixer_flow_logs.billing.latest_errors : "${e.component_id}: ${coalesce(e.error, e.message, "?")}"]))
  }
}

# One request for every flow's waiting messages.
check "no_messages_pile_up" {
  data "appmixer_unprocessed_messages" "promoted" {
    flow_ids = [for f in appmixer_flow.promoted : f.id]
  }

  assert {
    condition = data.appmixer_unprocessed_messages.promoted.total == 0
    error_message = format("Unprocessed messages are waiting: %s", join(", ", [
      for name, f in appmixer_flow.promoted : "${data.appmixer_unprocessed_messages.promoted.counts[f.id]} in flow ${name}"
      if data.appmixer_unprocessed_messages.promoted.counts[f.id] > 0
    ]))
  }
}
