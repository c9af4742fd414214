# The provider block of the adopted tenant; credentials come from APPMIXER_BASE_URL (or
# APPMIXER_TENANT), APPMIXER_USERNAME and APPMIXER_PASSWORD. `terraform query` lists what
# tenant.tfquery.hcl names with it and writes tenant.tf beside this file.
terraform {
  required_version = ">= 1.14.0"
  required_providers {
    appmixer = {
      source = "appmixer/appmixer"
    }
  }
}

provider "appmixer" {}
