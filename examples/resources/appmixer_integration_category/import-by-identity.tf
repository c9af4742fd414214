# The identity is the category id.
import {
  to = appmixer_integration_category.onboarding
  identity = {
    id = "6a1b2c3d4e5f6a7b8c9d0e1f"
  }
}
