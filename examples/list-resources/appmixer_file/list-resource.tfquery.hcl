# The invoices among the provider's user's files.
list "appmixer_file" "invoices" {
  provider         = appmixer
  include_resource = true
  config {
    filename = "invoice"
  }
}
