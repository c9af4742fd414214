variable "tenants" {
  description = "Each tenant's API address and user, by key; max_requests_per_second just below its rate limit."
  type = map(object({
    base_url                = string
    username                = string
    max_requests_per_second = optional(number)
  }))
}

variable "passwords" {
  description = "Each tenant's password, by the keys of var.tenants (kept apart so that var.tenants can drive for_each)."
  type        = map(string)
  sensitive   = true
}
