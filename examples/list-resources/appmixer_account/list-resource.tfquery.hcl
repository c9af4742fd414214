# The connected Slack accounts of the provider's user.
list "appmixer_account" "slack" {
  provider         = appmixer
  include_resource = true
  config {
    service = "appmixer:slack"
  }
}
