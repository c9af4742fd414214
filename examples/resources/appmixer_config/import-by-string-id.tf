# With an import block, `terraform plan -generate-config-out=generated.tf` writes the setting with its
# value, which then plans empty. For a secret (id = "value_wo:JWTSecret") the generated block has no
# value: add `value_wo = jsonencode(var.jwt_secret)` and `value_wo_version = 1`.
import {
  to = appmixer_config.signup_scope
  id = "API_USER_CREATE_SCOPE"
}
