# Warn when messages pile up for the promoted flows: their components fail on them and the engine
# keeps them (errorHandling.onError = "storeUnprocessed").
check "no_waiting_messages" {
  data "appmixer_unprocessed_messages" "promoted" {
    flow_ids = [appmixer_flow.orders.id, appmixer_flow.billing.id]
  }

  assert {
    condition = data.appmixer_unprocessed_messages.promoted.total == 0
    error_message = format("Unprocessed messages are waiting: %s",
    join(", ", [for id, n in data.appmixer_unprocessed_messages.promoted.counts : "${n} in flow ${id}" if n > 0]))
  }
}
