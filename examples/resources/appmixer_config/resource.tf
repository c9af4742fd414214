# A typed setting: only admins may sign users up.
resource "appmixer_config" "signup_scope" {
  key   = "API_USER_CREATE_SCOPE"
  value = jsonencode("admin")
}

# A secret: never in the state or the plan. Bump value_wo_version to send a new one.
variable "jwt_secret" {
  type      = string
  sensitive = true
}

resource "appmixer_config" "jwt_secret" {
  key              = "JWTSecret"
  value_wo         = jsonencode(var.jwt_secret)
  value_wo_version = 1
}
