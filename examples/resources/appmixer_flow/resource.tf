# The tenant's own Slack account, looked up by name so the same configuration works on dev and prod.
data "appmixer_account" "slack" {
  service = "appmixer:slack"
  name    = "ops@example.com"
}

# A running flow: when started, post to Slack, then send an e-mail.
# Component ids are UUIDs, as the Appmixer designer makes them; keep them stable.
resource "appmixer_flow" "welcome" {
  name        = "Welcome message"
  description = "Greets the ops channel whenever the flow starts."
  stage       = "running"

  definition = jsonencode({
    "0b9f3f1e-6c1a-4f8e-9a51-2d3c4b5a6f70" = {
      type   = "appmixer.utils.controls.OnStart"
      label  = "Start"
      x      = 100
      y      = 100
      source = {}
      config = {}
    }
    "7c2d9e4a-1b3f-4a6e-8d5c-9f0e1a2b3c4d" = {
      type  = "appmixer.slack.list.SendChannelMessage"
      label = "Post to #ops"
      x     = 320
      y     = 100
      source = {
        in = { "0b9f3f1e-6c1a-4f8e-9a51-2d3c4b5a6f70" = ["out"] }
      }
      config = {
        properties = { channelId = "C0123456789" }
        transform = {
          in = {
            "0b9f3f1e-6c1a-4f8e-9a51-2d3c4b5a6f70" = {
              out = { type = "json2new", lambda = { text = "Hello from Terraform" } }
            }
          }
        }
      }
    }
    "e4f5a6b7-c8d9-4e0f-a1b2-c3d4e5f6a7b8" = {
      type  = "appmixer.utils.email.SendEmail"
      label = "Tell the team"
      x     = 540
      y     = 100
      source = {
        in = { "7c2d9e4a-1b3f-4a6e-8d5c-9f0e1a2b3c4d" = ["out"] }
      }
      config = {
        transform = {
          in = {
            "7c2d9e4a-1b3f-4a6e-8d5c-9f0e1a2b3c4d" = {
              out = { type = "json2new", lambda = { to = "ops@example.com", subject = "Posted", text = "done" } }
            }
          }
        }
      }
    }
  })

  # Bound after every definition update; the server leaves new components unbound.
  accounts = {
    "7c2d9e4a-1b3f-4a6e-8d5c-9f0e1a2b3c4d" = data.appmixer_account.slack.account_id
  }

  custom_fields = {
    team = "ops"
  }

  # People move boxes in the designer; do not treat that as drift.
  ignore_layout = true

  timeouts {
    update = "10m"
  }
}

# A flow exported from the designer as a file.
resource "appmixer_flow" "from_file" {
  name       = "Nightly report"
  definition = file("${path.module}/flows/nightly-report.json")
}
