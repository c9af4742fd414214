# A self-managed Appmixer behind a corporate network: a private CA, a mutual-TLS gateway that also
# wants Cloudflare Access service-token headers, reached through the company's proxy.
provider "appmixer" {
  alias    = "corporate"
  base_url = "https://appmixer.corp.example.com/api"

  ca_cert_file     = "${path.root}/certs/corp-root-ca.pem"
  client_cert_file = "${path.root}/certs/ci-client.pem"
  client_key_pem   = var.client_key_pem # or client_key_file
  proxy_url        = "http://proxy.corp.example.com:3128"

  headers = {
    "CF-Access-Client-Id"     = var.cf_access_client_id
    "CF-Access-Client-Secret" = var.cf_access_client_secret
  }
}

variable "client_key_pem" {
  type      = string
  sensitive = true
}

variable "cf_access_client_id" {
  type = string
}

variable "cf_access_client_secret" {
  type      = string
  sensitive = true
}
