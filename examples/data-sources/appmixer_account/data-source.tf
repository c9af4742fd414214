# The tenant's own Slack account, found by name, so the same configuration works on dev and prod.
data "appmixer_account" "slack" {
  service = "appmixer:slack"
  name    = "ops@example.com"
}

output "slack_account_id" {
  value = data.appmixer_account.slack.account_id
}
