# Uploaded from a local file; editing the file uploads it again on the next apply.
resource "appmixer_public_file" "logo" {
  filename = "logo.svg"
  source   = "${path.module}/assets/logo.svg"
}
