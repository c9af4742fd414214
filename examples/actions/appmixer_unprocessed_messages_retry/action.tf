# Once the fix is promoted, send the messages the orders flow failed on again:
#   terraform apply -invoke=action.appmixer_unprocessed_messages_retry.orders
action "appmixer_unprocessed_messages_retry" "orders" {
  config {
    flow_id = appmixer_flow.orders.id
  }
}

# Or drop them: terraform apply -invoke=action.appmixer_unprocessed_messages_retry.orders_drop
action "appmixer_unprocessed_messages_retry" "orders_drop" {
  config {
    flow_id = appmixer_flow.orders.id
    delete  = true
  }
}
