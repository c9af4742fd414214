# An integration whose changes reach end users' instances only when someone decides so.
resource "appmixer_integration" "welcome" {
  name            = "Welcome e-mail"
  definition      = file("${path.module}/integrations/welcome.json")
  shared_with     = [{ scope = "user" }]
  instance_update = "none"
}

# After a review: terraform apply -invoke=action.appmixer_integration_rollout.welcome
action "appmixer_integration_rollout" "welcome" {
  config {
    integration_id   = appmixer_integration.welcome.id
    in_progress_data = "keep"
    timeout          = "30m"
  }
}
