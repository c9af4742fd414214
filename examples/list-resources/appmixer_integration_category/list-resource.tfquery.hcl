# Every integration category of the tenant.
list "appmixer_integration_category" "all" {
  provider         = appmixer
  include_resource = true
}
