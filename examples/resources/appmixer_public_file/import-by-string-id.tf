# With an import block, `terraform plan -generate-config-out=generated.tf` writes the block without
# `source` (Appmixer lists public files by name only); the plan then asks for the line
# `source = "<path of the local copy of logo.svg>"`. Add it and apply.
import {
  to = appmixer_public_file.logo
  id = "logo.svg"
}
