# After the apply that promotes it, warn when the orders flow has logged errors in the last hour.
# A check block never fails the apply: a failed assertion is a warning in its output.
check "orders_logs_no_errors" {
  data "appmixer_flow_logs" "orders" {
    flow_ids = [appmixer_flow.orders.id]
    since    = "1h"
  }

  assert {
    condition = data.appmixer_flow_logs.orders.error_count == 0
    error_message = format("Flow %q logged %d errors in the last hour, the newest: %s",
      appmixer_flow.orders.name, data.appmixer_flow_logs.orders.error_count,
    join("; ", [for e in data.appmixer_flow_logs.orders.latest_errors : "${e.time} ${e.component_id}: ${coalesce(e.error, e.message, "?")}"]))
  }
}

# Counts of several severities over a day, for an output or a dashboard.
data "appmixer_flow_logs" "all_flows_today" {
  since      = "1d"
  severities = ["error", "info"]
}

output "log_counts_today" {
  value = data.appmixer_flow_logs.all_flows_today.counts
}
