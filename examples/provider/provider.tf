# An Appmixer Cloud tenant; credentials from APPMIXER_USERNAME and APPMIXER_PASSWORD.
provider "appmixer" {
  tenant = "acme"
}

# A self-managed Appmixer, with explicit settings.
provider "appmixer" {
  alias           = "self_managed"
  base_url        = "https://appmixer.example.com/api"
  username        = var.appmixer_username
  password        = var.appmixer_password
  max_retries     = 6
  request_timeout = "2m"
}

variable "appmixer_username" {
  type = string
}

variable "appmixer_password" {
  type      = string
  sensitive = true
}
