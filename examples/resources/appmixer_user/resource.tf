# Pass the password in an ephemeral variable (Terraform 1.10+) so it reaches neither the plan nor the state.
variable "ops_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "appmixer_user" "ops" {
  username = "ops@example.com" # email defaults to the username
  scope    = ["user", "developer"]
  vendor   = "acme" # may publish acme.* connectors

  password_wo         = var.ops_password
  password_wo_version = 1 # bump to set a new password_wo
}

# With Terraform older than 1.11, use password instead; it is then kept in the state (as sensitive).
resource "appmixer_user" "legacy" {
  username = "legacy-bot"
  email    = "legacy-bot@example.com"
  password = var.legacy_password
}

variable "legacy_password" {
  type      = string
  sensitive = true
}
