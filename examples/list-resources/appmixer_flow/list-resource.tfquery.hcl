# Every plain flow of the provider's user, as resources to adopt:
# terraform query -generate-config-out=flows.tf
list "appmixer_flow" "all" {
  provider         = appmixer
  include_resource = true
  limit            = 1000
}

# Only the running flows of the sales team whose name contains "orders".
list "appmixer_flow" "sales_orders" {
  provider = appmixer
  config {
    pattern       = "orders"
    stage         = "running"
    custom_fields = { team = "sales" }
  }
}
