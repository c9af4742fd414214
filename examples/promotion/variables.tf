variable "dev" {
  description = "The dev tenant: API address, credentials and the names of its connected accounts."
  type = object({
    base_url             = string
    username             = string
    password             = string
    slack_account_name   = string
    weather_account_name = string
  })
  sensitive = true
}

variable "prod" {
  description = "The prod tenant, as var.dev."
  type = object({
    base_url             = string
    username             = string
    password             = string
    slack_account_name   = string
    weather_account_name = string
  })
  sensitive = true
}

variable "force_destroy_integrations" {
  description = "Let destroy delete the published integrations with every end user's instance. Off: customers' instances are not visible to the provider, so it cannot rule them out."
  type        = bool
  default     = false
}
