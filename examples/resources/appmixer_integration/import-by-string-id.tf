# With an import block, `terraform plan -generate-config-out=generated.tf` writes the integration's
# configuration (draft, wizard, sharing), which then plans empty. appmixer_integrations lists the ids.
import {
  to = appmixer_integration.welcome
  id = "6f1c2a70-0001-4c1e-9a51-5d2f00000001"
}
