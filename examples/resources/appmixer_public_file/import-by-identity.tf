# The identity is the file name. The content is not read back: the plan uploads the configured source.
import {
  to = appmixer_public_file.logo
  identity = {
    filename = "logo.svg"
  }
}
