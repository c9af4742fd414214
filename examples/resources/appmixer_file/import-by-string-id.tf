import {
  to = appmixer_file.rates
  id = "3f1c2a9e-5b7d-4c1e-9a0b-2d4e6f8a0c1e"
}
