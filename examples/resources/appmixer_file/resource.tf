# A lookup table that a flow reads. A new content replaces the file (a new id): create the new one
# before deleting the old, so that the flow never names a deleted file.
resource "appmixer_file" "rates" {
  source = "${path.module}/files/rates.csv"
  # filename defaults to "rates.csv" and content_type to "text/csv"

  lifecycle {
    create_before_destroy = true
  }
}

# Flows name a file by its id, which differs per tenant and changes when the file is replaced: put it
# into the definition, and the flow follows a replaced file in the same apply.
resource "appmixer_flow" "pricing" {
  name = "Price orders"
  definition = templatefile("${path.module}/flows/pricing.json.tftpl", {
    rates_file_id = appmixer_file.rates.id
  })
}
