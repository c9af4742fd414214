# Every running flow of the ops team, across all pages of the flow list.
data "appmixer_flows" "ops_running" {
  stage         = "running"
  custom_fields = { team = "ops" }
}

output "ops_running_flows" {
  value = { for f in data.appmixer_flows.ops_running.flows : f.id => f.name }
}

# Flows whose name (or id) contains "invoice".
data "appmixer_flows" "invoices" {
  pattern = "invoice"
}
