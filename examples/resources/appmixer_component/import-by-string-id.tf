# With an import block, `terraform plan -generate-config-out=generated.tf` writes the component's
# configuration; add its source_dir or source_zip, which is not on the server.
import {
  to = appmixer_component.weather
  id = "acme.weather"
}
