# A flow saved with `appmixer flow export orders.json`: the function takes the descriptor out of it.
resource "appmixer_flow" "orders" {
  name       = "Orders to Slack"
  definition = provider::appmixer::flow_from_export(file("${path.module}/orders.json"))
}
