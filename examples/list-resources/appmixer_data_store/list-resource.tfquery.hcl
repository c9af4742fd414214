# Every data store of the provider's user.
list "appmixer_data_store" "all" {
  provider         = appmixer
  include_resource = true
}
