# With an import block, `terraform plan -generate-config-out=generated.tf` writes the current rules,
# which then plan empty.
import {
  to = appmixer_acl.components
  id = "components"
}
