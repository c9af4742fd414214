# Share a flow with a user by username: each tenant gives the user its own id.
data "appmixer_user" "ann" {
  username = "ann@shop.example"
}

resource "appmixer_flow" "report" {
  name       = "Nightly report"
  definition = file("${path.module}/flows/report.json")
  shared_with = [
    { user_id = data.appmixer_user.ann.id, permissions = ["read"] },
  ]
}
