# With an import block, `terraform plan -generate-config-out=generated.tf` writes the user's
# configuration. The id is the user id, or username:<name> with the real Appmixer API.
import {
  to = appmixer_user.ops
  id = "username:ops@example.com"
}
