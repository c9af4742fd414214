# Every Google app the user can see.
data "appmixer_apps" "google" {
  name_prefix = "appmixer.google"
}

output "google_apps" {
  value = data.appmixer_apps.google.apps[*].name
}
