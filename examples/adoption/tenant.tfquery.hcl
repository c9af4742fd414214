# Everything an Appmixer tenant holds that the provider manages, for
# `terraform query -generate-config-out=tenant.tf`. include_resource = true makes each result the
# resource an import would produce, which is what the generated configuration is written from.
# limit is the most results a list block returns (Terraform's default is 100).

list "appmixer_flow" "flows" {
  provider         = appmixer
  include_resource = true
  limit            = 1000
}

list "appmixer_integration" "integrations" {
  provider         = appmixer
  include_resource = true
  limit            = 1000
}

list "appmixer_component" "connectors" {
  provider         = appmixer
  include_resource = true
}

list "appmixer_user" "users" {
  provider         = appmixer
  include_resource = true
  limit            = 1000
}

list "appmixer_account" "accounts" {
  provider         = appmixer
  include_resource = true
}

list "appmixer_data_store" "data_stores" {
  provider         = appmixer
  include_resource = true
}

list "appmixer_service_config" "service_configs" {
  provider         = appmixer
  include_resource = true
}
