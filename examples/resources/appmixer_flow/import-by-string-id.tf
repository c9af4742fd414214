# With an import block, `terraform plan -generate-config-out=generated.tf` writes the flow's configuration,
# which then plans empty.
import {
  to = appmixer_flow.welcome
  id = "9089f275-1b2c-4d3e-8f90-a1b2c3d4e5f6"
}
