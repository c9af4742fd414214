# The custom connectors of vendor acme, one per service. The configuration written for each expects
# the connector's source in connectors/acme/<service>.
list "appmixer_component" "acme" {
  provider         = appmixer
  include_resource = true
  config {
    vendor = "acme"
  }
}
