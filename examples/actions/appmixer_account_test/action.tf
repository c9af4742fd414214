# Test the Slack account now: terraform apply -invoke=action.appmixer_account_test.slack
# The apply fails with the server's verdict when the account's token is no longer valid.
action "appmixer_account_test" "slack" {
  config {
    account_id = data.appmixer_account.slack.account_id
  }
}

# Test it after every change of the flow that uses it.
resource "terraform_data" "orders_deployed" {
  input = appmixer_flow.orders.definition
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.appmixer_account_test.slack]
    }
  }
}
