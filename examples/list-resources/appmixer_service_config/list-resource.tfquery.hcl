# Every service configuration; keys that look secret (clientSecret, ...) stay on the server.
list "appmixer_service_config" "all" {
  provider         = appmixer
  include_resource = true
}
