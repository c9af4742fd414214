# Everything an Appmixer tenant holds that the provider lists, for
# `terraform query -generate-config-out=tenant.tf`, which asks each list block for the whole resource
# (what an import produces) and writes its configuration. limit is the most results a list block
# returns (Terraform's default is 100).

list "appmixer_flow" "flows" {
  provider = appmixer
  limit    = 1000
}

list "appmixer_integration" "integrations" {
  provider = appmixer
  limit    = 1000
}

list "appmixer_component" "connectors" {
  provider = appmixer
}

list "appmixer_user" "users" {
  provider = appmixer
  limit    = 1000
}

list "appmixer_account" "accounts" {
  provider = appmixer
}

list "appmixer_data_store" "data_stores" {
  provider = appmixer
}

list "appmixer_service_config" "service_configs" {
  provider = appmixer
}

list "appmixer_file" "files" {
  provider = appmixer
  limit    = 1000
}

list "appmixer_user_group" "user_groups" {
  provider = appmixer
}

list "appmixer_integration_category" "categories" {
  provider = appmixer
}
