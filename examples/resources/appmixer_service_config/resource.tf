# The OAuth client of the Slack connector in this tenant. The client id is plain configuration; the
# client secret comes from an ephemeral variable (Terraform 1.10+), so it reaches neither plan nor state.
variable "slack_client_secret" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "appmixer_service_config" "slack" {
  service_id = "appmixer:slack"
  values = jsonencode({
    clientId = "1234567890.0987654321"
    sandbox  = false # values keep their JSON types
  })

  secret_values_wo = jsonencode({
    clientSecret = var.slack_client_secret
  })
  secret_values_wo_version = 1 # bump to send a changed secret
}
