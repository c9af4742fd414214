# The steps after a fix is promoted (Terraform 1.14 and later), beside main.tf, invoked by hand or from CI:
#   terraform apply -invoke=action.appmixer_unprocessed_messages_retry.orders
#   terraform apply -invoke=action.appmixer_account_test.mail
action "appmixer_unprocessed_messages_retry" "orders" {
  config {
    flow_id = appmixer_flow.promoted["orders"].id
  }
}

action "appmixer_account_test" "mail" {
  config {
    account_id = data.appmixer_account.mail.account_id
  }
}

data "appmixer_account" "mail" {
  service = "appmixer:google"
  name    = "ops@example.com"
}
