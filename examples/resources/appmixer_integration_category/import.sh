# An integration category is imported by its id.
terraform import appmixer_integration_category.onboarding 6a1b2c3d4e5f6a7b8c9d0e1f
