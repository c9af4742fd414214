resource "appmixer_data_store" "orders" {
  name = "Processed orders"
}

# Flows name a store by its id, which differs per tenant: put it into the definition.
resource "appmixer_flow" "dedupe" {
  name = "Skip processed orders"
  definition = templatefile("${path.module}/flows/dedupe.json.tftpl", {
    store_id = appmixer_data_store.orders.id
  })
}
