# All connected Slack accounts of the provider's user.
data "appmixer_accounts" "slack" {
  service = "appmixer:slack"
}

output "slack_account_ids" {
  value = data.appmixer_accounts.slack.accounts[*].account_id
}
