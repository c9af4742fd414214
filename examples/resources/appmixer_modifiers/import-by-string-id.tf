# With an import block, `terraform plan -generate-config-out=generated.tf` writes the current document
# as jsonencode({...}), which then plans empty.
import {
  to = appmixer_modifiers.tenant
  id = "modifiers"
}
