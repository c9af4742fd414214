# A store made by hand in each tenant, found by name: the flow gets each tenant's own id.
data "appmixer_data_store" "leads" {
  name = "Leads"
}

resource "appmixer_flow" "capture" {
  name       = "Capture leads"
  definition = replace(file("${path.module}/flows/capture.json"), "STORE_ID", data.appmixer_data_store.leads.id)
}
