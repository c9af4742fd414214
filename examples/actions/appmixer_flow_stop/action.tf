# Stop a flow for maintenance: terraform apply -invoke=action.appmixer_flow_stop.orders
# (a flow an appmixer_flow manages shows its configured stage as drift afterwards).
action "appmixer_flow_stop" "orders" {
  config {
    flow_id = "9089f275-0d6e-4a2c-8f6b-0c1f2e3d4a5b"
  }
}
