# With an import block, `terraform plan -generate-config-out=generated.tf` writes the configuration
# without the secrets, which then plans empty; add secret_values_wo and secret_values_wo_version to
# manage them.
import {
  to = appmixer_service_config.slack
  id = "appmixer:slack"
}
