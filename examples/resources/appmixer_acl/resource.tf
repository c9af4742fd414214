# Who may use which connectors: admins everything, acme.com users the Google and utility connectors.
# The list is authoritative for its type; destroy puts back Appmixer's default list (destroy_restores = "previous": the list Terraform took over).
resource "appmixer_acl" "components" {
  type = "components"
  rules = [
    { role = "admin", resource = "*", action = ["*"], attributes = ["non-private"] },
    { role = "acme.com", resource = "appmixer.google*", action = ["use"], attributes = ["non-private"] },
    { role = "acme.com", resource = "appmixer.utils*", action = ["use"], attributes = ["non-private"] },
  ]
}
