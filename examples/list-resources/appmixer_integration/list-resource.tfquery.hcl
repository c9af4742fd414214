# The integrations (one per draft) whose name contains "Welcome", with what an import reads:
# the published template's sharing and the number of end users' instances.
list "appmixer_integration" "welcome" {
  provider         = appmixer
  include_resource = true
  config {
    pattern = "Welcome"
  }
}
